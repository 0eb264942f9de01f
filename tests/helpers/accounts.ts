// Makes users-permissions accounts of every kind the plugin's rules talk about.
import { randomBytes } from 'node:crypto';
import type { Core } from '@strapi/strapi';

export type AccountKind = 'activated' | 'not-activated' | 'expired' | 'blocked' | 'privileged' | 'owner';

export interface TestAccount {
  id: number;
  documentId: string;
  email: string;
  username: string;
  password: string;
  kind: AccountKind;
}

const ROLE_TYPE: Record<AccountKind, string> = {
  activated: 'authenticated',
  'not-activated': 'authenticated',
  expired: 'authenticated',
  blocked: 'authenticated',
  privileged: 'administrator',
  owner: 'owner',
};

export const strongPassword = () => `Tide-${randomBytes(6).toString('hex')}-Lantern`;

export function createAccountFactory(strapi: Core.Strapi) {
  return {
    async create(kind: AccountKind = 'activated', overrides: { email?: string; password?: string } = {}): Promise<TestAccount> {
      const suffix = randomBytes(4).toString('hex');
      const username = `${kind}-${suffix}`;
      const email = overrides.email ?? `${username}@example.test`;
      const password = overrides.password ?? strongPassword();
      const role = await strapi.db.query('plugin::users-permissions.role').findOne({ where: { type: ROLE_TYPE[kind] } });
      const user = await strapi
        .plugin('users-permissions')
        .service('user')
        .add({
          username,
          email,
          password,
          provider: 'local',
          confirmed: kind !== 'not-activated',
          blocked: kind === 'blocked',
          role: role.id,
        });
      if (kind === 'expired') {
        await strapi
          .plugin('password-reset')
          .service('accounts')
          .updateState(user.id, { expiresAt: new Date(Date.now() - 86400000).toISOString() });
      }
      return { id: user.id, documentId: user.documentId, email, username, password, kind };
    },

    /** The stored row, as the database has it now. */
    async stored(id: number) {
      return strapi.db.query('plugin::users-permissions.user').findOne({ where: { id } });
    },
  };
}

/**
 * `count` accounts of the authenticated role made straight in the database, 1,000 rows an INSERT, named
 * `<prefix>-<stamp>-<i>`: for bulk sends and outbox stories. Confirmed unless told otherwise.
 */
export async function createAccountsInBulk(
  strapi: Core.Strapi,
  count: number,
  prefix: string,
  { confirmed = true }: { confirmed?: boolean } = {},
): Promise<Array<{ id: number; email: string }>> {
  const users = strapi.db.query('plugin::users-permissions.user');
  const role = await strapi.db.query('plugin::users-permissions.role').findOne({ where: { type: 'authenticated' } });
  const stamp = `${prefix}-${Date.now().toString(36)}`;
  for (let start = 0; start < count; start += 1000) {
    await users.createMany({
      data: Array.from({ length: Math.min(1000, count - start) }, (_, i) => ({
        username: `${stamp}-${start + i}`,
        email: `${stamp}-${start + i}@example.test`,
        provider: 'local',
        confirmed,
        blocked: false,
        role: role.id,
      })),
    });
  }
  return users.findMany({ select: ['id', 'email'], where: { username: { $startsWith: `${stamp}-` } }, orderBy: { id: 'asc' } });
}
