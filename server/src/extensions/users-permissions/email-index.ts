// An index on users-permissions' email column, for the link-request lookup.
import type { Core } from '@strapi/strapi';
import { USER_UID } from '../../utils/plugin';

/**
 * Every link request looks an address up; without an index that is a scan of the whole users table, which
 * on SQLite blocks the event loop for every request (10 ms at 100,000 accounts). Declared on the content type
 * so that Strapi's own schema sync creates and keeps it.
 */
export function indexAccountsByEmail(strapi: Core.Strapi) {
  const users = strapi.contentType(USER_UID) as unknown as { collectionName: string; indexes?: Array<{ name: string; columns: string[] }> };
  const name = `${users.collectionName}_email_lookup_idx`;
  if (!users.indexes?.some((index) => index.name === name)) users.indexes = [...(users.indexes ?? []), { name, columns: ['email'] }];
}
