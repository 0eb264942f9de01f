// Bulk sends as jobs (ARCHITECTURE.md, "Delivery"). A job stores the accounts it names; workers plan it part
// by part — each account checked against the rule for sends, and given an outbox row, queued or skipped with
// its reason — and send its rows like any other message. Planning a part and recording how far planning got
// are one transaction, so a job resumes after a restart exactly where it stopped. A job is done when every
// account has its row and no row is waiting.
import { randomUUID } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import { CODE_UID, getConfig, getPluginService, JOB_UID, OUTBOX_UID, USER_UID } from '../utils/plugin';
import { describeActor, SYSTEM, type Actor } from '../utils/actor';
import { chunk } from '../utils/concurrency';
import { csvLine } from '../domain/delivery';
import type { Permissions } from '../domain/restrictions';
import type { Account } from './accounts';
import type { AuditEntry } from './audit';
import {
  describeReason,
  JOB_CSV_COLUMNS,
  type DryRunResponse,
  type FailureKind,
  type ItemState,
  type JobCounts,
  type JobItem,
  type JobItemsPage,
  type JobsPage,
  type JobState,
  type JobSummary,
  type Reason,
} from '../../../shared/contracts';

interface JobRow {
  id: number;
  state: JobState;
  userIds: number[];
  total: number;
  planned: number;
  actor: Actor;
  startedBy: string | null;
  permissions: Permissions;
  skipRecent: boolean;
  createdAt: string;
  finishedAt: string | null;
}

/**
 * Accounts checked and given their rows per transaction while planning. A part's accounts and verdicts live
 * until its rows are written, while the other lane sends: smaller parts keep a large job's memory flat
 * (ARCHITECTURE.md, "Delivery").
 */
const PLAN_PART = 500;

/**
 * Who reads a job, and with what: the caller, its permissions (which accounts it may be told the address of), and
 * whether it reads every job ("Read all jobs") or only those it started (ARCHITECTURE.md, "Delivery").
 */
export interface JobReader {
  actor: Actor;
  permissions: Permissions;
  readAll: boolean;
}

/** Code outside any request (a script, the console, a test) is the site's own, as in domain/restrictions.ts: it reads every job. */
const SYSTEM_READER: JobReader = { actor: SYSTEM, permissions: { sendCode: true, setPassword: true, manageOwners: true }, readAll: true };

/** The jobs a reader may read: all, or those it started. Another's job is as absent as one that does not exist. */
const readableBy = (reader: JobReader) => (reader.readAll ? {} : { startedBy: describeActor(reader.actor) });

/** A job's columns but its list of accounts (up to 100,000 ids, parsed on every read): all a summary needs. */
const JOB_FIELDS = ['id', 'state', 'total', 'planned', 'actor', 'startedBy', 'permissions', 'skipRecent', 'createdAt', 'finishedAt'];
/** Jobs whose account lists this instance keeps while planning them (a list never changes once stored). */
const KEPT_LISTS = 2;

const jobsService = ({ strapi }: { strapi: Core.Strapi }) => {
  const jobs = () => strapi.db.query(JOB_UID);
  const messages = () => strapi.db.query(OUTBOX_UID);
  const accounts = () => getPluginService(strapi, 'accounts');
  const audit = () => getPluginService(strapi, 'audit');
  const outbox = () => getPluginService(strapi, 'outbox');
  const table = (uid: string) => strapi.db.metadata.get(uid).tableName;

  /**
   * The accounts of jobs being planned here, read once per job rather than once per part: a job's list is written
   * with it and never changed, and a job of 100,000 accounts would otherwise be read and parsed a hundred times.
   */
  const lists = new Map<string, number[]>();
  async function accountsOf(job: Pick<JobRow, 'id' | 'createdAt'>): Promise<number[]> {
    // By id and creation time: an id freed by the prune may be given to a later job.
    const key = `${job.id}@${new Date(job.createdAt).getTime()}`;
    let userIds = lists.get(key);
    if (!userIds) {
      const row: Pick<JobRow, 'userIds'> = await jobs().findOne({ select: ['id', 'userIds'], where: { id: job.id } });
      userIds = row.userIds;
      lists.set(key, userIds);
      for (const oldest of lists.keys()) if (lists.size > KEPT_LISTS) lists.delete(oldest);
    }
    return userIds;
  }

  async function counts(job: JobRow): Promise<JobCounts> {
    const rows: Array<{ state: ItemState; reason: string | null; failure: FailureKind | null; n: number | string }> = await strapi.db
      .connection(table(OUTBOX_UID))
      .select('state', 'reason', 'failure')
      .count('* as n')
      .where('job_id', job.id)
      .groupBy('state', 'reason', 'failure');
    const result: JobCounts = {
      total: job.total,
      planned: job.planned,
      queued: 0,
      sent: 0,
      skipped: 0,
      failed: 0,
      skippedBy: {},
      failedBy: {},
    };
    for (const row of rows) {
      const n = Number(row.n);
      if (row.state === 'skipped') {
        result.skipped += n;
        const reason = row.reason as Reason;
        result.skippedBy[reason] = (result.skippedBy[reason] ?? 0) + n;
      } else if (row.state === 'failed') {
        result.failed += n;
        const failure = row.failure ?? 'email';
        result.failedBy[failure] = (result.failedBy[failure] ?? 0) + n;
      } else if (row.state === 'sent') result.sent += n;
      else result.queued += n;
    }
    return result;
  }

  const summarize = async (job: JobRow): Promise<JobSummary> => ({
    id: job.id,
    state: job.state,
    createdBy: describeActor(job.actor),
    createdAt: new Date(job.createdAt).toISOString(),
    finishedAt: job.finishedAt ? new Date(job.finishedAt).toISOString() : null,
    counts: await counts(job),
  });

  return {
    /**
     * The rule for sends, for many accounts: null for each account that would be sent a code now, else why not.
     * The dry run, inline sends and job planning all ask it. `audit` records refusals by the restriction rule.
     */
    async verdicts(userIds: number[], actor: Actor, permissions: Permissions, options: { skipRecent: boolean; audit: boolean }) {
      const verdicts = new Map<number, Reason | null>();
      const { skipRecentMinutes } = getConfig(strapi).bulk;
      for (const part of chunk(userIds, PLAN_PART)) {
        const found = new Map((await accounts().findManyByIds(part)).map((account: Account) => [account.id, account]));
        const recent = new Set<number>();
        if (options.skipRecent && skipRecentMinutes > 0) {
          const rows: Array<{ userId: number }> = await strapi.db.query(CODE_UID).findMany({
            select: ['userId'],
            where: {
              userId: { $in: part },
              createdAt: { $gt: new Date(Date.now() - skipRecentMinutes * 60 * 1000) },
              usedAt: { $null: true },
              revokedAt: { $null: true },
            },
          });
          for (const row of rows) recent.add(row.userId);
        }
        const refusals: AuditEntry[] = [];
        for (const userId of part) {
          const account = found.get(userId);
          const restriction = account ? accounts().whyMayNotAct(account, actor, permissions) : null;
          const reason: Reason | null = !account
            ? 'unknown-account'
            : account.blocked
              ? 'blocked'
              : !account.email
                ? 'no-email'
                : (restriction ?? (recent.has(userId) ? 'recently-sent' : null));
          verdicts.set(userId, reason);
          if (restriction) {
            refusals.push({
              action: 'restriction.refused',
              actor,
              targetUserId: userId,
              details: { reason: restriction, attempted: 'send-code' },
            });
          }
        }
        if (options.audit && refusals.length > 0) await audit().record(refusals);
      }
      return verdicts;
    },

    async dryRun(userIds: number[], actor: Actor, permissions: Permissions): Promise<DryRunResponse> {
      const unique = [...new Set(userIds)];
      const verdicts = await this.verdicts(unique, actor, permissions, { skipRecent: unique.length > 1, audit: false });
      const skippedBy: DryRunResponse['skippedBy'] = {};
      for (const reason of verdicts.values()) if (reason) skippedBy[reason] = (skippedBy[reason] ?? 0) + 1;
      const skipped = Object.values(skippedBy).reduce((sum, n) => sum + (n ?? 0), 0);
      return { total: unique.length, willSend: unique.length - skipped, skipped, skippedBy };
    },

    /** Start a job for these accounts (each once, in order); workers plan and send it. */
    async create(userIds: number[], actor: Actor, permissions: Permissions): Promise<JobSummary> {
      const job: JobRow = await jobs().create({
        data: {
          state: 'planning',
          userIds,
          total: userIds.length,
          planned: 0,
          actor,
          startedBy: describeActor(actor),
          permissions,
          skipRecent: userIds.length > 1,
        },
      });
      await audit().record({ action: 'job.started', actor, targetUserId: null, details: { jobId: job.id, total: job.total } });
      outbox().wake();
      return summarize(job);
    },

    /** Plan the next part of one job that needs it. Returns how many accounts were planned. */
    async planSome() {
      const now = new Date();
      const free = { state: 'planning', $or: [{ leaseUntil: { $null: true } }, { leaseUntil: { $lt: now } }] };
      const candidate: { id: number } | null = await jobs().findOne({ select: ['id'], where: free, orderBy: { id: 'asc' } });
      if (!candidate) return 0;
      const claimToken = randomUUID();
      const lease = new Date(Date.now() + getConfig(strapi).outbox.leaseSeconds * 1000);
      const { count } = await jobs().updateMany({ where: { id: candidate.id, ...free }, data: { claimToken, leaseUntil: lease } });
      if (count === 0) return 0;
      const job: Omit<JobRow, 'userIds'> = await jobs().findOne({ select: JOB_FIELDS, where: { id: candidate.id } });
      const part = (await accountsOf(job)).slice(job.planned, job.planned + PLAN_PART);
      const verdicts = await this.verdicts(part, job.actor, job.permissions, { skipRecent: job.skipRecent, audit: true });
      const planned = job.planned + part.length;
      await strapi.db.transaction(async () => {
        const { count: still } = await jobs().updateMany({
          where: { id: job.id, claimToken },
          data: { planned, leaseUntil: null, ...(planned >= job.total ? { state: 'sending' } : {}) },
        });
        if (still === 0) throw new Error(`job ${job.id} was claimed by another worker`);
        await outbox().write(
          part.map((userId) => {
            const reason = verdicts.get(userId) ?? null;
            return {
              kind: 'code' as const,
              template: 'activation' as const,
              userId,
              actor: job.actor,
              jobId: job.id,
              ...(reason ? { state: 'skipped' as const, reason } : {}),
            };
          }),
        );
      });
      if (planned >= job.total) {
        lists.clear();
        await this.finishIfDone(job.id);
      }
      return part.length || 1;
    },

    /** Mark a job done once every account has its row and none is waiting. */
    async finishIfDone(jobId: number) {
      const waiting = await messages().count({ where: { jobId, state: { $in: ['queued', 'sending'] } } });
      if (waiting > 0) return;
      await jobs().updateMany({ where: { id: jobId, state: 'sending' }, data: { state: 'done', finishedAt: new Date() } });
    },

    /** The job, if there is one with this id that the reader may read. */
    async find(jobId: number, reader: JobReader = SYSTEM_READER): Promise<JobSummary | null> {
      const job: JobRow | null = await jobs().findOne({ select: JOB_FIELDS, where: { id: jobId, ...readableBy(reader) } });
      return job ? summarize(job) : null;
    },

    /** The jobs the reader may read, newest first. */
    async list(page: number, pageSize: number, reader: JobReader = SYSTEM_READER): Promise<JobsPage> {
      const where = readableBy(reader);
      const [rows, total]: [JobRow[], number] = await Promise.all([
        jobs().findMany({ select: JOB_FIELDS, where, orderBy: { id: 'desc' }, limit: pageSize, offset: (page - 1) * pageSize }),
        jobs().count({ where }),
      ]);
      const results: JobSummary[] = [];
      for (const row of rows) results.push(await summarize(row));
      return { results, pagination: { page, pageSize, total, pageCount: Math.ceil(total / pageSize) } };
    },

    /**
     * A job's accounts, failures first, then skipped, then the rest, by account id; with the addresses of those the
     * reader may act on (accounts.namedFor). The caller has found the job with `find` for this reader.
     */
    async items(jobId: number, page: number, pageSize: number, reader: JobReader = SYSTEM_READER): Promise<JobItemsPage> {
      const total = await messages().count({ where: { jobId } });
      const rows: Array<Record<string, unknown>> = await strapi.db
        .connection(`${table(OUTBOX_UID)} as m`)
        .leftJoin(`${table(USER_UID)} as u`, 'u.id', 'm.user_id')
        .where('m.job_id', jobId)
        .select('m.user_id as userId', 'u.email as email', 'm.state as state', 'm.reason as reason', 'm.failure as failure')
        .select('m.attempts as attempts', 'm.updated_at as updatedAt')
        .orderByRaw("CASE m.state WHEN 'failed' THEN 0 WHEN 'skipped' THEN 1 ELSE 2 END, m.user_id")
        .limit(pageSize)
        .offset((page - 1) * pageSize);
      const items: JobItem[] = rows.map((row) => ({
        userId: Number(row.userId),
        email: (row.email as string | null) ?? null,
        status: row.state as ItemState,
        ...(row.reason ? { reason: row.reason as string } : {}),
        ...(row.state === 'skipped' ? { message: describeReason(row.reason as Reason) } : {}),
        ...(row.failure ? { failure: row.failure as FailureKind } : {}),
        attempts: Number(row.attempts),
        updatedAt: new Date(row.updatedAt as string).toISOString(),
      }));
      const results = await accounts().namedFor(items, reader.actor, reader.permissions);
      return { results, pagination: { page, pageSize, total, pageCount: Math.ceil(total / pageSize) } };
    },

    /** The job's accounts as CSV lines, page by page (a header first). */
    async *csv(jobId: number, reader: JobReader = SYSTEM_READER) {
      yield csvLine([...JOB_CSV_COLUMNS]);
      for (let page = 1; ; page++) {
        const { results } = await this.items(jobId, page, PLAN_PART, reader);
        for (const item of results) yield csvLine(JOB_CSV_COLUMNS.map((column) => item[column]));
        if (results.length < PLAN_PART) return;
      }
    },

    /** The accounts of a job whose email failed for good. */
    async failedUserIds(jobId: number): Promise<number[]> {
      const rows: Array<{ userId: number }> = await messages().findMany({
        select: ['userId'],
        where: { jobId, state: 'failed' },
        orderBy: { userId: 'asc' },
      });
      return rows.map((row) => row.userId);
    },

    /** Jobs started before `startedBy` was stored get it from their actor, so that their starter still reads them. */
    async backfillStarters() {
      const rows: Array<Pick<JobRow, 'id' | 'actor'>> = await jobs().findMany({
        select: ['id', 'actor'],
        where: { startedBy: { $null: true } },
      });
      for (const row of rows) await jobs().update({ where: { id: row.id }, data: { startedBy: describeActor(row.actor) } });
    },

    /** Delete finished jobs and messages older than `outbox.keepDays`. */
    async prune() {
      const before = new Date(Date.now() - getConfig(strapi).outbox.keepDays * 24 * 3600 * 1000);
      const old: Array<{ id: number }> = await jobs().findMany({ select: ['id'], where: { state: 'done', finishedAt: { $lt: before } } });
      for (const part of chunk(
        old.map((job) => job.id),
        PLAN_PART,
      )) {
        await messages().deleteMany({ where: { jobId: { $in: part } } });
        await jobs().deleteMany({ where: { id: { $in: part } } });
      }
      await messages().deleteMany({
        where: { jobId: { $null: true }, state: { $in: ['sent', 'skipped', 'failed'] }, finishedAt: { $lt: before } },
      });
    },
  };
};

export type JobsService = ReturnType<typeof jobsService>;
export default jobsService;
