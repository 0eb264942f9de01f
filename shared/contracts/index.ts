// The contract between the server and the admin panel: one definition of every action, reason, limit,
// permission and response shape, imported by both so that the two cannot drift.
export * from './audit';
export * from './accounts';
export * from './health';
export * from './jobs';
export * from './limits';
export * from './permissions';
export * from './reasons';
export * from './settings';
export * from './templates';
