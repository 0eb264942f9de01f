// Accounts as this plugin sees them: lookup, role kind (owner, privileged, regular), expiry, and the
// eligibility rule for the public flow — decided here and nowhere else.
import type { Core } from '@strapi/strapi';
import { getConfig, STATE_UID, USER_UID } from '../utils/plugin';
import { chunk } from '../utils/concurrency';

export interface Account {
  id: number;
  documentId: string;
  email: string | null;
  username: string | null;
  confirmed: boolean | null;
  blocked: boolean | null;
  role?: { id: number; type: string; name: string } | null;
}

export interface AccountState {
  id: number;
  userId: number;
  expiresAt: string | null;
  passwordChangedAt: string | null;
  pinHash: string | null;
  pinFailedAttempts: number | null;
  pinLockedUntil: string | null;
}

export type RoleKind = 'owner' | 'privileged' | 'regular';
export type IneligibleReason = 'not-activated' | 'expired' | 'blocked' | 'privileged' | 'owner' | 'no-email';

const ACCOUNT_FIELDS = ['id', 'documentId', 'email', 'username', 'confirmed', 'blocked'];

/** Addresses compare trimmed and case-insensitively everywhere: requests, rate-limit buckets, lookups. */
export const normalizeEmail = (email: string) => email.trim().toLowerCase();

const accountsService = ({ strapi }: { strapi: Core.Strapi }) => {
  const states = () => strapi.db.query(STATE_UID);

  /** SELECT … FOR UPDATE inside the current transaction; SQLite has a single writer and needs none. */
  const lockRow = async (uid: string, column: string, value: number) => {
    if (strapi.db.dialect.client === 'sqlite') return;
    const table = strapi.db.metadata.get(uid).tableName;
    await strapi.db.transaction(async ({ trx }) => {
      await trx(table).where(column, value).forUpdate().first(column);
    });
  };

  return {
    async findByEmail(email: string): Promise<Account | null> {
      // users-permissions stores addresses lower-cased and looks them up that way (its login does too), so an
      // exact match on the normalized address finds the account through the index added in register.ts.
      return strapi.db.query(USER_UID).findOne({
        select: ACCOUNT_FIELDS,
        where: { email: normalizeEmail(email) },
        populate: { role: { select: ['id', 'type', 'name'] } },
      });
    },

    async findById(id: number): Promise<Account | null> {
      return strapi.db.query(USER_UID).findOne({
        select: ACCOUNT_FIELDS,
        where: { id },
        populate: { role: { select: ['id', 'type', 'name'] } },
      });
    },

    /** Many accounts in as few queries as the database allows (one per thousand ids). */
    async findManyByIds(ids: number[]): Promise<Account[]> {
      const found: Account[] = [];
      for (const batch of chunk(ids, 1000)) {
        found.push(
          ...(await strapi.db.query(USER_UID).findMany({
            select: ACCOUNT_FIELDS,
            where: { id: { $in: batch } },
            populate: { role: { select: ['id', 'type', 'name'] } },
          })),
        );
      }
      return found;
    },

    /**
     * Take the account row's write lock until the current transaction ends. A password write through the
     * Document Service locks this row first (its UPDATE) and only then touches the account's codes (the
     * lifecycle); a redemption takes this lock before it updates its code, so both go in the same order and
     * queue instead of deadlocking. (SQLite has a single writer; there is nothing to lock.)
     */
    async lockForUpdate(userId: number) {
      await lockRow(USER_UID, 'id', userId);
    },

    /** The same for the account's state row (PIN checks count wrong tries under it). */
    async lockStateForUpdate(userId: number) {
      await lockRow(STATE_UID, 'user_id', userId);
    },

    roleKind(account: Account): RoleKind {
      const { roles } = getConfig(strapi);
      const type = account.role?.type;
      if (!type) return 'regular';
      if (roles.owner.includes(type)) return 'owner';
      if (roles.privileged.includes(type)) return 'privileged';
      return 'regular';
    },

    async getState(userId: number): Promise<AccountState | null> {
      return states().findOne({ where: { userId } });
    },

    async updateState(userId: number, data: Partial<Omit<AccountState, 'id' | 'userId'>>) {
      const updated = await states().updateMany({ where: { userId }, data });
      if (updated.count > 0) return;
      try {
        await states().create({ data: { userId, ...data } });
      } catch (error) {
        // Another request created the row since (user_id is unique): update that one.
        if ((await states().updateMany({ where: { userId }, data })).count === 0) throw error;
      }
    },

    isExpired(state: AccountState | null, now = new Date()) {
      return Boolean(state?.expiresAt && new Date(state.expiresAt).getTime() <= now.getTime());
    },

    /** Why an account may not use the public forgotten-password flow, or null when it may. */
    async whyIneligibleForSelfService(account: Account): Promise<IneligibleReason | null> {
      if (!account.email) return 'no-email';
      if (account.blocked) return 'blocked';
      const kind = this.roleKind(account);
      if (kind !== 'regular') return kind;
      if (!account.confirmed) return 'not-activated';
      if (this.isExpired(await this.getState(account.id))) return 'expired';
      return null;
    },
  };
};

export type AccountsService = ReturnType<typeof accountsService>;
export default accountsService;
