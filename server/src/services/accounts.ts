// Accounts as this plugin sees them: lookup, role kind (owner, privileged, regular), expiry, and the
// eligibility rule for the public flow — decided here and nowhere else.
import type { Core } from '@strapi/strapi';
import { getConfig, PASSWORD_CHANGED_AT, STATE_UID, USER_UID } from '../utils/plugin';
import { chunk } from '../utils/concurrency';
import { normalizeEmail } from '../domain/email';
import {
  higherKind,
  whyMayNotChange,
  type Permissions,
  type RestrictionReason,
  type RoleKind,
  type SecurityField,
} from '../domain/restrictions';
import type { Actor } from '../utils/actor';

export interface Account {
  id: number;
  documentId: string;
  email: string | null;
  username: string | null;
  confirmed: boolean | null;
  blocked: boolean | null;
  /** The moment of the last password change (written by the user-model lifecycle). */
  passwordChangedAt?: string | null;
  role?: { id: number; type: string; name: string } | null;
}

export interface AccountState {
  id: number;
  userId: number;
  expiresAt: string | null;
  pinHash: string | null;
  pinFailedAttempts: number | null;
  pinLockedUntil: string | null;
  emailLookup: string | null;
}

export type { RoleKind };
export type IneligibleReason = 'not-activated' | 'expired' | 'blocked' | 'privileged' | 'owner' | 'no-email';

const ACCOUNT_FIELDS = ['id', 'documentId', 'email', 'username', 'confirmed', 'blocked', PASSWORD_CHANGED_AT];

const ROLE_UID = 'plugin::users-permissions.role';
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Thrown when a write names its role in a shape the guard cannot read: such a write is refused, not guessed. */
export class UnreadableRoleError extends Error {}

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

  /** The fields read of an account: ACCOUNT_FIELDS, the language attribute when the user model has it, the template fields. */
  const accountFields = () => {
    const { locale, templateFields } = getConfig(strapi);
    const { attributes } = strapi.db.metadata.get(USER_UID);
    const extra = [locale.userField, ...templateFields].filter((field): field is string => Boolean(field && attributes[field]));
    return extra.length > 0 ? [...new Set([...ACCOUNT_FIELDS, ...extra])] : ACCOUNT_FIELDS;
  };

  return {
    /** The account's language: the attribute `locale.userField` names, as read with the account. */
    languageOf(account: Account | null | undefined): string | null {
      const field = getConfig(strapi).locale.userField;
      const value = field && account ? (account as unknown as Record<string, unknown>)[field] : null;
      return typeof value === 'string' ? value : null;
    },

    /** The values of the account fields the site names for its emails (`templateFields`), as text; '' for none. */
    templateValues(account: Account | null | undefined): Record<string, string> {
      const values: Record<string, string> = {};
      for (const field of getConfig(strapi).templateFields) {
        const value = account ? (account as unknown as Record<string, unknown>)[field] : null;
        values[field] = value === null || value === undefined ? '' : value instanceof Date ? value.toISOString() : String(value);
      }
      return values;
    },

    /** The account with this address, however its column spells it (`findManyByEmails`). */
    async findByEmail(email: string): Promise<Account | null> {
      return (await this.findManyByEmails([email])).get(normalizeEmail(email)) ?? null;
    },

    /**
     * The accounts with these addresses, however their column spells them, keyed by the normalized address (an
     * address without an account is absent); a few queries, whatever the number of addresses. users-permissions
     * stores addresses lower-cased, so an exact match on the normalized address finds most accounts through the
     * index added in register.ts; an address stored in another form is found through its normalized copy
     * (`emailLookup`, indexed), kept by the user-model lifecycle and filled in at boot. Never a scan of the users
     * table; of two accounts with one address, the oldest.
     */
    async findManyByEmails(emails: string[]): Promise<Map<string, Account>> {
      const wanted = [...new Set(emails.map(normalizeEmail))];
      const found = new Map<string, Account>();
      for (const batch of chunk(wanted, 500)) {
        const asked = new Set(batch);
        const exact: Account[] = await strapi.db.query(USER_UID).findMany({
          select: accountFields(),
          where: { email: { $in: batch } },
          populate: { role: { select: ['id', 'type', 'name'] } },
          orderBy: { id: 'asc' },
        });
        for (const account of exact) {
          const key = account.email ? normalizeEmail(account.email) : '';
          if (asked.has(key) && !found.has(key)) found.set(key, account);
        }
        const missing = batch.filter((email) => !found.has(email));
        if (missing.length === 0) continue;
        const lookups: Array<{ userId: number; emailLookup: string }> = await states().findMany({
          select: ['userId', 'emailLookup'],
          where: { emailLookup: { $in: missing } },
          orderBy: { id: 'asc' },
        });
        const byId = new Map((await this.findManyByIds(lookups.map((row) => row.userId))).map((account) => [account.id, account]));
        for (const { userId, emailLookup } of lookups) {
          const account = byId.get(userId);
          if (account && !found.has(emailLookup)) found.set(emailLookup, account);
        }
      }
      return found;
    },

    /** Keep the normalized copy of an account's address that `findByEmail` falls back on. */
    async syncEmailLookup(userId: number, email: string | null | undefined) {
      const lookup = email && normalizeEmail(email) !== email ? normalizeEmail(email) : null;
      if (lookup !== null || (await states().count({ where: { userId, emailLookup: { $notNull: true } } })) > 0) {
        await this.updateState(userId, { emailLookup: lookup });
      }
    },

    /**
     * At boot: give every account whose stored address is not in normalized form (written before the plugin,
     * by an import, or straight into the database) its normalized copy. One pass over the users table per boot.
     */
    async backfillEmailLookups() {
      const table = strapi.db.metadata.get(USER_UID).tableName;
      const rows: Array<{ id: number; email: string }> = await strapi.db
        .connection(table)
        .select('id', 'email')
        .whereNotNull('email')
        .whereRaw('?? <> LOWER(??)', ['email', 'email']);
      for (const row of rows) await this.syncEmailLookup(row.id, row.email);
    },

    /**
     * At boot: 0.1 kept the moment of the last password change in the account-state table; copy it to the
     * account row, where the session check reads it, and clear it there so that this runs once.
     */
    async movePasswordChangeMoments() {
      const usersTable = strapi.db.metadata.get(USER_UID).tableName;
      const statesTable = strapi.db.metadata.get(STATE_UID).tableName;
      const moved = () => strapi.db.getConnection(statesTable).whereNotNull('password_changed_at');
      if (!(await moved().first('id'))) return;
      await strapi.db.transaction(async ({ trx }) => {
        await strapi.db
          .getConnection(usersTable)
          .transacting(trx)
          .whereIn('id', moved().select('user_id'))
          .whereNull('password_changed_at')
          .update({
            password_changed_at: moved()
              .select('password_changed_at')
              .where('user_id', strapi.db.connection.ref(`${usersTable}.id`)),
          });
        await moved().transacting(trx).update({ password_changed_at: null });
      });
    },

    async findById(id: number): Promise<Account | null> {
      return strapi.db.query(USER_UID).findOne({
        select: accountFields(),
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
            select: accountFields(),
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

    /** Why this administrator or token may not act on this account (writing these fields), or null: the rule of domain/restrictions.ts. */
    whyMayNotAct(account: Account, actor: Actor, permissions: Permissions, fields: SecurityField[] = []): RestrictionReason | null {
      return whyMayNotChange({
        actor,
        target: { id: account.id, kind: this.roleKind(account) },
        fields,
        mayManageOwners: permissions.manageOwners,
        allowAdminSetPassword: getConfig(strapi).allowAdminSetPassword,
      });
    },

    /**
     * Rows that name accounts (a send's results, a job's items and their CSV) as this caller may read them: an
     * account the caller may not act on — an owner without "Manage owner accounts", an owner or privileged account
     * for an API token — keeps its id and reason, and loses its address (ARCHITECTURE.md, "Delivery"). The one
     * rule for every answer that names accounts.
     */
    async namedFor<Row extends { userId: number; email: string | null }>(
      rows: Row[],
      actor: Actor,
      permissions: Permissions,
    ): Promise<Row[]> {
      const named = rows.filter((row) => row.email !== null).map((row) => row.userId);
      if (named.length === 0) return rows;
      const hidden = new Set(
        (await this.findManyByIds(named))
          .filter((account) => this.whyMayNotAct(account, actor, permissions) !== null)
          .map((account) => account.id),
      );
      return rows.map((row) => (hidden.has(row.userId) ? { ...row, email: null } : row));
    },

    roleKind(account: Pick<Account, 'role'>): RoleKind {
      return this.kindOfRoleType(account.role?.type);
    },

    kindOfRoleType(type: string | null | undefined): RoleKind {
      const { roles } = getConfig(strapi);
      if (!type) return 'regular';
      if (roles.owner.includes(type)) return 'owner';
      if (roles.privileged.includes(type)) return 'privileged';
      return 'regular';
    },

    /**
     * What a write's `role` value does: an id, a documentId, `{ id }`, `{ documentId }`, a list of those, null,
     * or `{ set | connect | disconnect }` as the Document Service and the query engine pass it. Returns the ids
     * of the roles it attaches, the kind they give, and whether it replaces or removes the current role.
     * Throws UnreadableRoleError for any other shape: such a write is refused, not guessed at.
     */
    async readRoleWrite(value: unknown): Promise<{ roleIds: number[]; kind: RoleKind; detaches: boolean }> {
      const ids: number[] = [];
      const documentIds: string[] = [];
      let detaches = value === null;
      const read = (item: unknown): void => {
        if (item === null || item === undefined) return;
        if (typeof item === 'number' && Number.isInteger(item)) ids.push(item);
        else if (typeof item === 'string' && /^\d+$/.test(item)) ids.push(Number(item));
        else if (typeof item === 'string' && item.length > 0) documentIds.push(item);
        else if (Array.isArray(item)) item.forEach(read);
        else if (isRecord(item) && ('set' in item || 'connect' in item || 'disconnect' in item)) {
          if ('set' in item || (Array.isArray(item.disconnect) ? item.disconnect.length > 0 : item.disconnect != null)) detaches = true;
          read(item.set);
          read(item.connect);
        } else if (isRecord(item) && ('id' in item || 'documentId' in item)) read(item.id ?? item.documentId);
        else throw new UnreadableRoleError('The role of this write could not be read.');
      };
      read(value);
      if (ids.length === 0 && documentIds.length === 0) return { roleIds: [], kind: 'regular', detaches };
      const or = [...(ids.length ? [{ id: { $in: ids } }] : []), ...(documentIds.length ? [{ documentId: { $in: documentIds } }] : [])];
      const roles: Array<{ id: number; type: string }> = await strapi.db
        .query(ROLE_UID)
        .findMany({ select: ['id', 'type'], where: { $or: or } });
      return {
        roleIds: roles.map((role) => role.id),
        kind: roles.reduce<RoleKind>((kind, role) => higherKind(kind, this.kindOfRoleType(role.type)), 'regular'),
        detaches: true,
      };
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

    /** Why an account may not use the public forgotten-password flow, or null when it may (`whyManyIneligibleForSelfService`). */
    async whyIneligibleForSelfService(account: Account): Promise<IneligibleReason | null> {
      return (await this.whyManyIneligibleForSelfService([account])).get(account.id) ?? null;
    },

    /**
     * Why each account may not use the public forgotten-password flow, or null when it may, keyed by account id:
     * the rule, decided here and nowhere else; one query for the states of those the account alone does not decide.
     */
    async whyManyIneligibleForSelfService(list: Account[]): Promise<Map<number, IneligibleReason | null>> {
      // What the account alone decides; undefined when its state (expiry) decides.
      const byAccount = (account: Account): IneligibleReason | null | undefined => {
        if (!account.email) return 'no-email';
        if (account.blocked) return 'blocked';
        const kind = this.roleKind(account);
        if (kind !== 'regular') return kind;
        if (!account.confirmed) return 'not-activated';
        return undefined;
      };
      const reasons = new Map<number, IneligibleReason | null>();
      const pending: number[] = [];
      for (const account of list) {
        const reason = byAccount(account);
        if (reason === undefined) pending.push(account.id);
        else reasons.set(account.id, reason);
      }
      const stateOf = new Map<number, AccountState>();
      for (const batch of chunk([...new Set(pending)], 500)) {
        const rows: AccountState[] = await states().findMany({ where: { userId: { $in: batch } }, orderBy: { id: 'asc' } });
        for (const row of rows) if (!stateOf.has(row.userId)) stateOf.set(row.userId, row);
      }
      for (const id of pending) reasons.set(id, this.isExpired(stateOf.get(id) ?? null) ? 'expired' : null);
      return reasons;
    },
  };
};

export type AccountsService = ReturnType<typeof accountsService>;
export default accountsService;
