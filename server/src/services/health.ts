// Delivery health (ARCHITECTURE.md, "Delivery"): what the outbox says about the mail server, for the plugin's page
// and for monitoring. Read from the outbox's rows, which every instance shares, never from what this one saw.
//
// A few indexed queries whatever the outbox holds (a job may queue 100,000 rows): counts with a where clause,
// single rows by an indexed order, and a bounded list of recent failures; nothing loads the queue.
import type { Core } from '@strapi/strapi';
import { getConfig, getPluginService, OUTBOX_UID } from '../utils/plugin';
import type { Actor } from '../utils/actor';
import type { Permissions } from '../domain/restrictions';
import type { MessageRow } from './outbox';
import {
  DELIVERY_ERRORS,
  RECENT_FAILURES_LIMIT,
  UNREACHABLE_ERRORS,
  type DeliveryError,
  type DeliveryHealth,
  type HealthWarning,
  type RecentFailure,
} from '../../../shared/contracts';

const DAY_MS = 24 * 3600 * 1000;

/** Errors from a mail server that answered: it was reached, whatever it said. */
const ANSWERED_ERRORS: DeliveryError[] = ['deferred', 'rejected'];

const iso = (value: string | Date | null | undefined) => (value ? new Date(value).toISOString() : null);

const healthService = ({ strapi }: { strapi: Core.Strapi }) => {
  const messages = () => strapi.db.query(OUTBOX_UID);
  const accounts = () => getPluginService(strapi, 'accounts');

  /** The newest value of `field` among rows matching `where`, or null. */
  async function latest(field: 'finishedAt' | 'failedAt', where: Record<string, unknown>): Promise<string | null> {
    const row = (await messages().findOne({ select: ['id', field], where, orderBy: { [field]: 'desc' } })) as Record<string, string> | null;
    return iso(row?.[field]);
  }

  /** Failed for good since `since`, by error; rows that failed before errors were recorded count as `other`. */
  async function failedSince(since: Date) {
    const where = { state: 'failed', finishedAt: { $gte: since } };
    const total = await messages().count({ where });
    const byError: Partial<Record<DeliveryError, number>> = {};
    if (total === 0) return { total, byError };
    let counted = 0;
    for (const error of DELIVERY_ERRORS) {
      const n = await messages().count({ where: { ...where, errorKind: error } });
      counted += n;
      if (n > 0) byError[error] = n;
    }
    if (total > counted) byError.other = (byError.other ?? 0) + total - counted;
    return { total, byError };
  }

  /**
   * The latest failed attempts, newest first, each with its address only when the caller may manage the account
   * (the rule of domain/restrictions.ts: an owner's address needs "Manage owner accounts", and an API token sees
   * no owner's or privileged account's address).
   */
  async function recentFailures(actor: Actor, permissions: Permissions): Promise<RecentFailure[]> {
    const rows: MessageRow[] = await messages().findMany({
      where: { failedAt: { $notNull: true }, state: { $in: ['failed', 'queued'] } },
      orderBy: { failedAt: 'desc' },
      limit: RECENT_FAILURES_LIMIT,
    });
    const userIds = [...new Set(rows.map((row) => row.userId).filter((id): id is number => typeof id === 'number'))];
    const byId = new Map((userIds.length ? await accounts().findManyByIds(userIds) : []).map((account) => [account.id, account]));
    return rows.map((row) => {
      const account = row.userId === null ? undefined : byId.get(row.userId);
      // A notice goes to the address it was queued for (an email change's previous address); a code to the account's.
      const address = row.kind === 'notice' ? (row.address ?? account?.email) : (account?.email ?? row.address);
      // An address with no account behind it (deleted since, or a visitor's request for an unknown address) is shown
      // to administrators, who read it in the audit log too, never to a token, which may be any integrator's.
      const visible = account ? accounts().whyMayNotAct(account, actor, permissions) === null : actor.type === 'admin';
      return {
        at: iso(row.failedAt) as string,
        to: visible ? (address ?? null) : null,
        userId: row.userId,
        kind: row.kind,
        template: row.template,
        error: row.errorKind ?? 'other',
        reason: row.reason,
        final: row.state === 'failed',
        state: row.state,
        attempts: row.attempts,
        jobId: row.jobId,
      };
    });
  }

  return {
    /** The outbox's state now, as the caller may see it. */
    async deliveryHealth(actor: Actor, permissions: Permissions, now = new Date()): Promise<DeliveryHealth> {
      const { warnWaitingSeconds } = getConfig(strapi).outbox;
      const waiting = await messages().count({ where: { state: 'queued' } });
      const sending = await messages().count({ where: { state: 'sending' } });
      // Ids grow with time: the lowest id of a waiting row is the oldest.
      const oldest = (await messages().findOne({
        select: ['id', 'createdAt'],
        where: { state: { $in: ['queued', 'sending'] } },
        orderBy: { id: 'asc' },
      })) as Pick<MessageRow, 'createdAt'> | null;
      const oldestWaitingSeconds = oldest ? Math.max(0, Math.floor((now.getTime() - new Date(oldest.createdAt).getTime()) / 1000)) : null;
      const failedLastDay = await failedSince(new Date(now.getTime() - DAY_MS));

      // Unreachable: the latest attempt that could not reach the mail server is newer than anything it answered.
      const lastSuccessAt = await latest('finishedAt', { state: 'sent' });
      const lastFailureAt = await latest('failedAt', { failedAt: { $notNull: true }, errorKind: { $in: [...UNREACHABLE_ERRORS] } });
      const lastAnsweredAt = await latest('failedAt', { failedAt: { $notNull: true }, errorKind: { $in: ANSWERED_ERRORS } });
      const reachedAt =
        [lastSuccessAt, lastAnsweredAt]
          .filter((at): at is string => at !== null)
          .sort()
          .pop() ?? null;
      const unreachable = lastFailureAt !== null && (reachedAt === null || lastFailureAt > reachedAt);

      const warnings: HealthWarning[] = [];
      if (unreachable) warnings.push('mail-server-unreachable');
      if (oldestWaitingSeconds !== null && oldestWaitingSeconds > warnWaitingSeconds) warnings.push('emails-waiting-too-long');
      if (failedLastDay.total > 0) warnings.push('emails-failed');

      return {
        status: unreachable ? 'down' : warnings.length > 0 ? 'degraded' : 'ok',
        checkedAt: now.toISOString(),
        waiting,
        sending,
        oldestWaitingSeconds,
        warnWaitingSeconds,
        failedLastDay,
        recentFailures: await recentFailures(actor, permissions),
        mailServer: { lastSuccessAt, lastFailureAt, unreachable },
        warnings,
      };
    },
  };
};

export type HealthService = ReturnType<typeof healthService>;
export default healthService;
