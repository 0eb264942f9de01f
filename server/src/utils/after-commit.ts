// Work that must follow a write only once it is stored: the caller's transaction commits, or there is none.
import type { Core } from '@strapi/strapi';

/** Run `work` once the caller's transaction commits (never, if it rolls back), or at once outside a transaction. */
export async function afterCommit(strapi: Core.Strapi, work: () => void): Promise<void> {
  if (strapi.db.inTransaction()) await strapi.db.transaction(async ({ onCommit }) => onCommit(work));
  else work();
}

/**
 * Resolves in the next turn of the event loop: background work started by a request (webhooks, reading an entry
 * back for them) waits for it, so that the request's response is written before that work's queries run.
 */
export const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
