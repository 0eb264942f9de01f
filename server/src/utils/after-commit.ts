// Work that must follow a write only once it is stored: the caller's transaction commits, or there is none.
import type { Core } from '@strapi/strapi';

/** Run `work` once the caller's transaction commits (never, if it rolls back), or at once outside a transaction. */
export async function afterCommit(strapi: Core.Strapi, work: () => void): Promise<void> {
  if (strapi.db.inTransaction()) await strapi.db.transaction(async ({ onCommit }) => onCommit(work));
  else work();
}
