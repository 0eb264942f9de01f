// The audit log's actions: written by the server, listed and labelled by the admin panel. One list for both.
export const AUDIT_ACTIONS = [
  'code.issued',
  'code.used',
  'code.expired',
  'code.revoked',
  'password.reset',
  'password.set',
  'password.changed',
  'request.ineligible',
  'restriction.refused',
  'account.changed',
  'email.failed',
  'job.started',
  'account.expiry-set',
  'pin.set',
  'pin.checked',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];
