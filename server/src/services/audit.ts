// The audit log (ARCHITECTURE.md, invariant 7): one row per code issued, used, expired or revoked, per password
// set by an administrator or a token, per refusal on restriction grounds, per PIN check. Never a token or a password.
// Each row is also a Strapi webhook event once committed (ARCHITECTURE.md, "Webhooks"); rows are read back with
// the names of their account and actor, page by page or as a CSV stream, and purged after `audit.retentionDays`.
import type { Core } from '@strapi/strapi';
import { AUDIT_UID, USER_UID, getConfig } from '../utils/plugin';
import { afterCommit, nextTurn } from '../utils/after-commit';
import type { Actor } from '../utils/actor';
import { csvLine } from '../domain/delivery';
import { withDocumentIds } from '../content-types/internal-collection';

import {
  AUDIT_CSV_COLUMNS,
  AUDIT_ACTIONS,
  webhookEvent,
  type AccountRef,
  type ActorType,
  type AuditAction,
  type AuditEvent,
  type AuditPage,
} from '../../../shared/contracts';

export interface AuditEntry {
  action: AuditAction;
  actor: Actor;
  targetUserId?: number | null;
  details?: Record<string, unknown> | null;
}

export interface AuditFilters {
  userId?: number;
  actorType?: string;
  actorId?: string;
  action?: string;
  from?: Date | null;
  to?: Date | null;
}

/** A stored row, as the query engine returns it. */
interface AuditRow {
  id: number;
  action: AuditAction;
  actorType: ActorType;
  actorId: string | null;
  ip: string | null;
  targetUserId: number | null;
  details: Record<string, unknown> | null;
  createdAt: Date | string;
}

/** What names a row: its account and its actor's name. */
interface Named {
  account: AccountRef | null;
  actorName: string | null;
}

/** Rows read at a time by the CSV export: the export's memory does not grow with the log. */
const CSV_PAGE = 1000;
const DAY_MS = 24 * 3600 * 1000;
/** The daily purge's cron task; by name, so that `destroy` removes this one task only. */
export const PURGE_TASK = 'password-reset.audit-purge';

const idsOf = (values: Array<string | number | null | undefined>) => [
  ...new Set(values.map(Number).filter((id) => Number.isSafeInteger(id) && id > 0)),
];

const whereOf = (filters: AuditFilters) => {
  const where: Record<string, unknown> = {};
  if (filters.userId) where.targetUserId = filters.userId;
  if (filters.actorType) where.actorType = filters.actorType;
  if (filters.actorId) where.actorId = filters.actorId;
  if (filters.action) where.action = filters.action;
  if (filters.from || filters.to) {
    where.createdAt = { ...(filters.from ? { $gte: filters.from } : {}), ...(filters.to ? { $lte: filters.to } : {}) };
  }
  return where;
};

const auditService = ({ strapi }: { strapi: Core.Strapi }) => {
  /** Webhook emissions under way, so that `destroy` can wait for them. */
  const announcing = new Set<Promise<void>>();

  /** The accounts and actors of these rows, named as they are now: a few queries, whatever the number of rows. */
  async function nameRows(rows: Array<Pick<AuditRow, 'actorType' | 'actorId' | 'targetUserId'>>) {
    const actorIds = (type: ActorType) => idsOf(rows.filter((row) => row.actorType === type).map((row) => row.actorId));
    const accountIds = idsOf([...rows.map((row) => row.targetUserId), ...actorIds('user')]);
    const [accounts, admins, tokens] = await Promise.all([
      accountIds.length
        ? strapi.db.query(USER_UID).findMany({ select: ['id', 'documentId', 'email', 'username'], where: { id: { $in: accountIds } } })
        : [],
      actorIds('admin').length
        ? strapi.db
            .query('admin::user')
            .findMany({ select: ['id', 'firstname', 'lastname', 'username', 'email'], where: { id: { $in: actorIds('admin') } } })
        : [],
      actorIds('api-token').length
        ? strapi.db.query('admin::api-token').findMany({ select: ['id', 'name'], where: { id: { $in: actorIds('api-token') } } })
        : [],
    ]);
    const accountById = new Map<number, AccountRef>(
      accounts.map((account: AccountRef) => [
        account.id,
        { id: account.id, documentId: account.documentId, email: account.email ?? null, username: account.username ?? null },
      ]),
    );
    // An administrator is shown as Strapi's admin panel shows them: username, else first and last name, else address.
    const names = new Map<string, string>();
    for (const admin of admins as Array<Record<string, string | null> & { id: number }>) {
      const fullName = [admin.firstname, admin.lastname].filter(Boolean).join(' ');
      names.set(`admin:${admin.id}`, admin.username || fullName || admin.email || '');
    }
    for (const token of tokens as Array<{ id: number; name: string }>) names.set(`api-token:${token.id}`, token.name);
    for (const account of accountById.values()) names.set(`user:${account.id}`, account.username || account.email || '');
    return (row: Pick<AuditRow, 'actorType' | 'actorId' | 'targetUserId'>): Named => ({
      account: row.targetUserId ? (accountById.get(Number(row.targetUserId)) ?? null) : null,
      actorName: names.get(`${row.actorType}:${row.actorId}`) || null,
    });
  }

  const toEvent = (row: AuditRow, named: Named): AuditEvent => ({
    id: row.id,
    action: row.action,
    actorType: row.actorType,
    actorId: row.actorId ?? null,
    actorName: named.actorName,
    ip: row.ip ?? null,
    targetUserId: row.targetUserId ?? null,
    account: named.account,
    details: row.details ?? null,
    createdAt: new Date(row.createdAt).toISOString(),
  });

  /**
   * Emit one webhook event per entry. The payload names the account and the actor and carries the row's details,
   * which never hold a code, a token or a password hash (invariant 6); a visitor's IP is left out.
   */
  async function emitWebhooks(entries: AuditEntry[]) {
    const rows = entries.map((entry) => ({
      actorType: entry.actor.type,
      actorId: entry.actor.id ?? null,
      targetUserId: entry.targetUserId ?? null,
    }));
    const name = await nameRows(rows);
    for (const [index, entry] of entries.entries()) {
      const named = name(rows[index]);
      await strapi.eventHub.emit(webhookEvent(entry.action), {
        action: entry.action,
        account: named.account,
        actor: { type: entry.actor.type, id: entry.actor.id ?? null, name: named.actorName },
        details: entry.details ?? null,
      });
    }
  }

  /**
   * Announce committed rows in the background: a webhook never delays nor fails the write it reports. Its queries
   * (the names) wait for the next turn of the event loop, so that the request that wrote the rows answers first.
   */
  function announce(entries: AuditEntry[]) {
    const work = nextTurn()
      .then(() => emitWebhooks(entries))
      .catch((error: Error) => {
        strapi.log.error(`[password-reset] webhook events could not be emitted: ${error.message}`);
      });
    announcing.add(work);
    void work.finally(() => announcing.delete(work));
  }

  return {
    async record(entries: AuditEntry | AuditEntry[]) {
      const list = Array.isArray(entries) ? entries : [entries];
      if (list.length === 0) return;
      const rows = list.map((entry) => ({
        action: entry.action,
        actorType: entry.actor.type,
        actorId: entry.actor.id ?? null,
        ip: entry.actor.ip ?? null,
        targetUserId: entry.targetUserId ?? null,
        details: entry.details ?? null,
      }));
      await strapi.db.query(AUDIT_UID).createMany({ data: withDocumentIds(rows) });
      // A row written in a transaction is announced once it commits: a rolled-back write announces nothing.
      await afterCommit(strapi, () => announce(list));
    },

    /** A page of the log, newest first (by id: the order rows were written), filtered, with names. */
    async list(filters: AuditFilters, { page, pageSize }: { page: number; pageSize: number }): Promise<AuditPage> {
      const where = whereOf(filters);
      const events = strapi.db.query(AUDIT_UID);
      const [rows, total]: [AuditRow[], number] = await Promise.all([
        events.findMany({ where, orderBy: { id: 'desc' }, offset: (page - 1) * pageSize, limit: pageSize }),
        events.count({ where }),
      ]);
      const name = await nameRows(rows);
      return {
        results: rows.map((row) => toEvent(row, name(row))),
        pagination: { page, pageSize, total, pageCount: Math.ceil(total / pageSize) },
      };
    },

    /**
     * The filtered log as CSV lines, newest first, a header first. Read `CSV_PAGE` rows at a time after the last id
     * seen (not by offset), so that 100,000 rows cost neither memory nor a query that slows down page after page.
     */
    async *csv(filters: AuditFilters) {
      yield csvLine([...AUDIT_CSV_COLUMNS]);
      const where = whereOf(filters);
      let before: number | null = null;
      for (;;) {
        const rows: AuditRow[] = await strapi.db.query(AUDIT_UID).findMany({
          where: before === null ? where : { $and: [where, { id: { $lt: before } }] },
          orderBy: { id: 'desc' },
          limit: CSV_PAGE,
        });
        if (rows.length === 0) return;
        const name = await nameRows(rows);
        let chunk = '';
        for (const row of rows) {
          const event = toEvent(row, name(row));
          const cells: Record<(typeof AUDIT_CSV_COLUMNS)[number], unknown> = {
            ...event,
            accountId: event.targetUserId,
            accountEmail: event.account?.email,
            accountUsername: event.account?.username,
            details: event.details ? JSON.stringify(event.details) : null,
          };
          chunk += csvLine(AUDIT_CSV_COLUMNS.map((column) => cells[column]));
        }
        yield chunk;
        before = rows[rows.length - 1].id;
        if (rows.length < CSV_PAGE) return;
      }
    },

    /** Delete rows older than `audit.retentionDays` (0 keeps them all). Run daily by Strapi's cron. */
    async purge(now = new Date()) {
      const { retentionDays } = getConfig(strapi).audit;
      if (retentionDays === 0) return 0;
      const before = new Date(now.getTime() - retentionDays * DAY_MS);
      const { count } = await strapi.db.query(AUDIT_UID).deleteMany({ where: { createdAt: { $lt: before } } });
      if (count > 0) strapi.log.info(`[password-reset] audit log: ${count} rows older than ${retentionDays} days deleted`);
      return count;
    },

    /** Register the daily purge with Strapi's cron (it runs whether or not the app sets `server.cron.enabled`). */
    schedulePurge() {
      strapi.cron.add({
        [PURGE_TASK]: {
          task: async () => {
            await this.purge();
          },
          // Every day at 03:17, server time: a quiet hour, off the round hour other jobs pick.
          options: { rule: '17 3 * * *' },
        },
      });
    },

    /** Make every audit action a Strapi webhook event, so that webhooks can subscribe to it. */
    registerWebhookEvents() {
      const store = strapi.get('webhookStore') as { addAllowedEvent(key: string, value: string): void };
      for (const action of AUDIT_ACTIONS) {
        store.addAllowedEvent(`PASSWORD_RESET_${action.replace(/[.-]/g, '_').toUpperCase()}`, webhookEvent(action));
      }
    },

    /** Wait for webhook events under way (on shut-down, and in tests). */
    async flushWebhooks() {
      await Promise.all([...announcing]);
    },

    /**
     * Record a refusal. The refusal usually makes the surrounding transaction roll back, which would take an
     * ordinary audit row with it, so inside a transaction the row is written once the transaction has ended.
     */
    async recordRefusal(entry: AuditEntry) {
      if (!strapi.db.inTransaction()) return this.record(entry);
      // Whichever way the transaction ends, write once (Strapi may run both kinds of callback for nested use).
      let written = false;
      const write = () => {
        if (written) return;
        written = true;
        this.record(entry).catch((error: Error) => strapi.log.error(`[password-reset] audit write failed: ${error.message}`));
      };
      await strapi.db.transaction(async ({ onCommit, onRollback }) => {
        onCommit(write);
        onRollback(write);
      });
    },
  };
};

export type AuditService = ReturnType<typeof auditService>;
export default auditService;
