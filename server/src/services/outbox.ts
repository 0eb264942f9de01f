// The outbox (ARCHITECTURE.md, "Delivery"): every email the plugin sends is first a row in the site's own
// database — an intent (whom, why, who asked), never a secret — and is then sent by a worker that runs in
// every Strapi instance. A code is created when its email is sent; a retry revokes it and creates another.
//
// Claiming is one conditional UPDATE: of several workers (instances sharing the database) that see the same
// rows, each row goes to one. A claim holds for `outbox.leaseSeconds`; a row claimed by an instance that died
// is claimed again after that. So an email is sent at least once, and twice only when the mail server took it and
// the row could not say so in time: the process died in between, the send passed its deadline and the server took
// it late, or the database was out of reach longer than the lease. Each time, the second email's new code revokes
// the first's.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Core } from '@strapi/strapi';
import { getConfig, getPluginService, OUTBOX_UID } from '../utils/plugin';
import { afterCommit, nextTurn } from '../utils/after-commit';
import { describeActor, type Actor } from '../utils/actor';
import { chunk, createLimiter, DeadlineError, withDeadline } from '../utils/concurrency';
import { withDocumentIds } from '../content-types/internal-collection';
import type { Account } from './accounts';
import type { AuditEntry } from './audit';
import { normalizeEmail } from '../domain/email';
import type { CodeRow, IssuedCode } from './codes';
import type { TemplateName } from '../../../shared/contracts';
import { classifyFailure, isTransient, retryDelayMs, type MessageKind } from '../domain/delivery';
import { isDatabaseUnavailable } from '../domain/database';
import type { DeliveryError, FailureKind, ItemState, Purpose, Reason } from '../../../shared/contracts';
import type { Ctx } from '../utils/context';
import { localeOfRequest } from '../domain/locale';
import { LOCALE_CODES } from '../locales';

/** A message to write: see the outbox-message schema for each field. */
export interface NewMessage {
  kind: MessageKind;
  template: Purpose | TemplateName;
  userId?: number;
  address?: string;
  data?: Record<string, string>;
  actor: Actor;
  jobId?: number;
  /** Written already finished (a job's skipped accounts). */
  state?: 'skipped';
  reason?: Reason;
}

export interface MessageRow extends Required<Pick<NewMessage, 'kind' | 'template' | 'actor'>> {
  id: number;
  userId: number | null;
  address: string | null;
  data: Record<string, string> | null;
  jobId: number | null;
  state: ItemState;
  reason: string | null;
  failure: FailureKind | null;
  attempts: number;
  nextAttemptAt: string;
  leaseUntil: string | null;
  finishedAt: string | null;
  /** The last failed attempt (delivery health). */
  failedAt: string | null;
  errorKind: DeliveryError | null;
  createdAt: string;
}

/** How a claimed message ended this time; `queued` means it will be tried again. */
type Outcome =
  | { state: 'sent' }
  | { state: 'skipped'; reason: Reason | string }
  | { state: 'failed' | 'queued'; failure: FailureKind; reason: string; error: DeliveryError };

/** Where a `code` message's link points when not the configured page: users-permissions' own reset page. */
export interface LinkOptions {
  legacyPage?: string;
  /** A front-end page the request named, from `redirectUrls` (domain/redirects.ts). */
  redirectTo?: string;
}

/** Sent rows are marked at most this long, or this many rows, after the mail server took them. */
const SENT_FLUSH_MS = 20;
const SENT_FLUSH_ROWS = 50;

/** Batches the worker prepares and sends at once (`start`), sharing `email.concurrency`. */
const WORKER_LANES = 2;

/**
 * After a batch smaller than `outbox.batchSize` (the queue was emptied: requests trickling in), a lane waits this
 * long before it claims again, so that a flood of visitors' requests is sent in batches of many rather than in
 * thousands of batches of one or two, each with its own transactions. A lone request, which finds the lane
 * waiting, is not delayed.
 */
const GATHER_MS = 25;

/** How often writes the database could not take (sent emails, emails put back) are tried again until it takes them. */
const RETRY_WRITE_MS = 1000;

/** Rows per INSERT: well under every database's bound-parameter limit (SQLite: 32766; 15 columns a row). */
const INSERT_BATCH = 500;

/** One email of a claimed batch: waiting for its turn, started, or put back in the queue unsent. */
interface BatchEmail {
  row: MessageRow;
  /** The code written for it, revoked if it goes back unsent. */
  code?: Pick<CodeRow, 'id' | 'userId' | 'purpose'>;
  state: 'waiting' | 'started' | 'released';
}

/**
 * A claimed batch while it is sent (`deliver`). Its emails start only while the claim will outlast them: a send
 * ends within `email.sendTimeoutMs`, so none can still be under way when another worker may take its row.
 */
interface Batch {
  token: string;
  emails: BatchEmail[];
  /** When the claim runs out, as last written to the database. */
  leaseEndsAt: number;
  /** The last moment something of the batch ended (its preparation, a send): the lease is renewed only while it moves. */
  progressAt: number;
  /** Why the batch stopped sending; null while it sends. */
  stopped: string | null;
  /** Putting its waiting emails back in the queue, from the moment it stopped. */
  releasing: Promise<void>;
}

const outboxService = ({ strapi }: { strapi: Core.Strapi }) => {
  const messages = () => strapi.db.query(OUTBOX_UID);
  const audit = () => getPluginService(strapi, 'audit');
  const accounts = () => getPluginService(strapi, 'accounts');
  const codes = () => getPluginService(strapi, 'codes');
  const mailer = () => getPluginService(strapi, 'mailer');
  const config = () => getConfig(strapi);

  /** Emails in flight at once in this instance, whichever batch they belong to (`email.concurrency`). */
  const sending = createLimiter(() => config().email.concurrency);

  const leaseUntil = () => new Date(Date.now() + config().outbox.leaseSeconds * 1000);

  /** The batches being sent by this instance. */
  const batches = new Set<Batch>();
  /**
   * After a mail server let a send pass its deadline, this instance claims nothing until this moment (the first
   * retry delay): claiming a batch only to put it back would write and revoke a code per row each time.
   */
  let claimsPausedUntil = 0;

  /**
   * Writes the database did not take while it was out of reach, tried again every `RETRY_WRITE_MS` until it takes
   * them (ARCHITECTURE.md, "Delivery"). Above all the rows of emails the mail server accepted: their claim holds
   * for `outbox.leaseSeconds`, so recording them once the database is back, within that time, means they are
   * never sent twice; and rows that go back to the queue unsent, which would otherwise wait for their lease.
   */
  const unwritten: Array<{ what: string; write: () => Promise<unknown> }> = [];
  let retryTimer: NodeJS.Timeout | null = null;
  function writeWhenBack(what: string, write: () => Promise<unknown>) {
    unwritten.push({ what, write });
    retryTimer ??= setTimeout(() => void writeUnwritten(), RETRY_WRITE_MS);
    retryTimer.unref();
  }
  async function writeUnwritten() {
    if (retryTimer) clearTimeout(retryTimer);
    retryTimer = null;
    const due = unwritten.splice(0);
    for (let i = 0; i < due.length; i++) {
      try {
        await due[i].write();
        strapi.log.info(`[password-reset] outbox: ${due[i].what} written after all`);
      } catch {
        // Still out of reach: the rest waits for the next try, in order.
        unwritten.unshift(...due.slice(i));
        break;
      }
    }
    if (unwritten.length > 0 && !retryTimer) {
      retryTimer = setTimeout(() => void writeUnwritten(), RETRY_WRITE_MS);
      retryTimer.unref();
    }
  }

  /**
   * Put claimed rows that were not sent back in the queue, due again in `retryInMs`, with no attempt counted, and
   * revoke the codes written for them (nobody was sent them). Only rows still claimed by this batch and not yet
   * recorded (`sending`) are touched. If the database cannot take it now, it is tried again until it can.
   */
  function putBack(token: string, rowIds: number[], unsent: BatchEmail[], retryInMs: number) {
    const write = async () => {
      await messages().updateMany({
        where: { id: { $in: rowIds }, claimToken: token, state: 'sending' },
        data: { state: 'queued', leaseUntil: null, nextAttemptAt: new Date(Date.now() + retryInMs) },
      });
      const byActor = new Map<string, { actor: Actor; codes: Array<NonNullable<BatchEmail['code']>> }>();
      for (const { row, code } of unsent) {
        if (!code) continue;
        const key = describeActor(row.actor);
        const group = byActor.get(key) ?? { actor: row.actor, codes: [] };
        group.codes.push(code);
        byActor.set(key, group);
      }
      for (const { actor, codes: revoked } of byActor.values()) await codes().revokeCodeRows(revoked, 'email-failed', actor);
    };
    return write().catch((error: Error) => {
      strapi.log.error(`[password-reset] outbox: unsent emails not put back in the queue yet: ${error.message}`);
      writeWhenBack('unsent emails put back in the queue', write);
    });
  }

  /**
   * Stop a batch: emails under way finish (each within its deadline); those waiting for their turn go back to the
   * queue at once (`putBack`). Their rows then go to whichever worker claims them next, here or in another instance.
   */
  function stopBatch(batch: Batch, reason: string, retryInMs = 0) {
    if (batch.stopped) return;
    batch.stopped = reason;
    const waiting = batch.emails.filter((email) => email.state === 'waiting');
    for (const email of waiting) email.state = 'released';
    if (waiting.length === 0) return;
    strapi.log.warn(`[password-reset] outbox: ${waiting.length} email(s) put back in the queue: ${reason}`);
    batch.releasing = putBack(
      batch.token,
      waiting.map(({ row }) => row.id),
      waiting,
      retryInMs,
    );
  }

  /**
   * Stop every batch in flight here: for a shut-down, and for a database that can no longer record what was sent
   * (an email sent then would be sent again once its lease ran out).
   */
  const stopBatches = (reason: string) => batches.forEach((batch) => stopBatch(batch, reason));

  /** Whether an email of this batch may start now (see `Batch`); stops the batch when its claim is about to run out. */
  const mayStart = (batch: Batch, email: BatchEmail) => {
    if (email.state === 'waiting' && Date.now() + config().email.sendTimeoutMs > batch.leaseEndsAt) {
      stopBatch(batch, 'its claim was about to run out');
    }
    if (email.state !== 'waiting') return false;
    email.state = 'started';
    return true;
  };

  /**
   * A message a visitor or an account holder caused remembers the language their request asked for
   * (Accept-Language), in case the account names none (ARCHITECTURE.md, "Languages"). An administrator's or a
   * token's language is theirs, not the account's, so theirs is not kept.
   */
  function withRequestLocale(batch: NewMessage[]): NewMessage[] {
    const ctx = strapi.requestContext.get() as Ctx | undefined;
    const locale = localeOfRequest(ctx?.request?.header?.['accept-language'] as string | undefined, LOCALE_CODES);
    if (!locale) return batch;
    return batch.map((message) =>
      (message.actor.type === 'visitor' || message.actor.type === 'user') && !message.data?.locale
        ? { ...message, data: { ...message.data, locale } }
        : message,
    );
  }

  /** Write rows as given; callers add the request's language first (`withRequestLocale`), in their own request. */
  async function insert(batch: NewMessage[], claimToken?: string) {
    const now = new Date();
    for (const part of chunk(batch, INSERT_BATCH)) {
      await messages().createMany({
        data: withDocumentIds(part).map((message) => ({
          ...message,
          state: message.state ?? (claimToken ? 'sending' : 'queued'),
          finishedAt: message.state ? now : null,
          attempts: 0,
          nextAttemptAt: now,
          ...(claimToken ? { claimToken, leaseUntil: leaseUntil() } : {}),
        })),
      });
    }
  }

  /**
   * Group commit for rows written outside a transaction (visitors' requests above all): rows that arrive while an
   * INSERT is under way wait for it and go together in the next, so that a flood of requests costs a few
   * INSERTs rather than one disk sync each. Each caller returns once its rows are stored.
   */
  const grouped = { waiting: [] as Array<{ batch: NewMessage[]; done: (error?: unknown) => void }>, writing: false };
  function insertGrouped(batch: NewMessage[]) {
    return new Promise<void>((resolve, reject) => {
      grouped.waiting.push({ batch, done: (error) => (error ? reject(error) : resolve()) });
      if (grouped.writing) return;
      grouped.writing = true;
      setImmediate(async () => {
        while (grouped.waiting.length > 0) {
          const group = grouped.waiting.splice(0);
          await insert(group.flatMap((entry) => entry.batch)).then(
            () => group.forEach((entry) => entry.done()),
            (error: unknown) => group.forEach((entry) => entry.done(error)),
          );
        }
        grouped.writing = false;
      });
    });
  }

  /** Claim up to `limit` due rows: visitors' and single messages before job rows, oldest first. */
  async function claim(limit: number): Promise<{ token: string; rows: MessageRow[] }> {
    const now = new Date();
    const due = {
      $or: [
        { state: 'queued', nextAttemptAt: { $lte: now } },
        { state: 'sending', leaseUntil: { $lt: now } },
      ],
    };
    const ids: number[] = [];
    for (const jobId of [{ $null: true }, { $notNull: true }]) {
      if (ids.length >= limit) break;
      const found: Array<{ id: number }> = await messages().findMany({
        select: ['id'],
        where: { ...due, jobId },
        orderBy: { id: 'asc' },
        limit: limit - ids.length,
      });
      ids.push(...found.map((row) => row.id));
    }
    const token = randomUUID();
    if (ids.length === 0) return { token, rows: [] };
    await messages().updateMany({
      where: { id: { $in: ids }, ...due },
      data: { state: 'sending', claimToken: token, leaseUntil: leaseUntil() },
    });
    return { token, rows: await messages().findMany({ where: { claimToken: token }, orderBy: { id: 'asc' } }) };
  }

  /**
   * Record outcomes, one UPDATE per group of rows that end alike (a batch's sent emails, a flood's unknown
   * addresses, a job's blocked accounts): on SQLite each write is a disk sync. A row whose claim was lost to
   * another worker (its lease ran out) is left to that worker.
   */
  async function recordAll(token: string, entries: Array<{ row: MessageRow; outcome: Outcome; resolved?: Partial<MessageRow> }>) {
    const now = new Date();
    const groups = new Map<string, { data: Record<string, unknown>; ids: number[] }>();
    for (const { row, outcome, resolved } of entries) {
      const attempts = row.attempts + 1;
      const data: Record<string, unknown> = { ...resolved, state: outcome.state, attempts, leaseUntil: null };
      if (outcome.state === 'queued' || outcome.state === 'failed') Object.assign(data, { failedAt: now, errorKind: outcome.error });
      if (outcome.state === 'queued') {
        data.nextAttemptAt = new Date(now.getTime() + retryDelayMs(attempts, config().outbox.retryAfterSeconds));
        data.reason = outcome.reason;
      } else {
        data.finishedAt = now;
        data.reason = outcome.state === 'sent' ? null : outcome.reason;
        if (outcome.state === 'failed') data.failure = outcome.failure;
        if (row.kind === 'request') data.address = null;
      }
      const key = JSON.stringify(data);
      const group = groups.get(key) ?? { data, ids: [] };
      group.ids.push(row.id);
      groups.set(key, group);
    }
    for (const { data, ids } of groups.values()) {
      for (const part of chunk(ids, INSERT_BATCH)) await messages().updateMany({ where: { id: { $in: part }, claimToken: token }, data });
    }
  }

  /**
   * Marks rows sent soon after the mail server took each: within `SENT_FLUSH_MS` or `SENT_FLUSH_ROWS` rows, in
   * `recordAll`, one transaction for every batch in flight (one disk sync on SQLite). A process dying between the
   * acceptance and the flush leaves those few rows to be sent again (ARCHITECTURE.md, "Delivery").
   */
  function sentRecorder() {
    let waiting: Array<{ token: string; row: MessageRow; resolved?: Partial<MessageRow> }> = [];
    let timer: NodeJS.Timeout | null = null;
    // Writes run one after another; a failed one fails its callers (their batches stop), not the writes after it.
    // Its rows stay claimed, and are recorded once the database is back (`writeWhenBack`), before their lease
    // runs out: they are not sent again.
    let writing: Promise<unknown> = Promise.resolve();
    const failed = (error: Error) => {
      strapi.log.error(`[password-reset] sent emails not recorded: ${error.message}`);
      stopBatches('the database could not record sent emails');
    };
    const write = async (entries: typeof waiting) => {
      const byToken = new Map<string, Array<{ row: MessageRow; outcome: Outcome; resolved?: Partial<MessageRow> }>>();
      for (const { token, row, resolved } of entries) {
        const group = byToken.get(token) ?? [];
        group.push({ row, resolved, outcome: { state: 'sent' } });
        byToken.set(token, group);
      }
      await strapi.db.transaction(async () => {
        for (const [token, group] of byToken) await recordAll(token, group);
      });
    };
    const flush = (): Promise<unknown> => {
      if (timer) clearTimeout(timer);
      timer = null;
      const entries = waiting;
      waiting = [];
      if (entries.length === 0) return writing;
      const written = writing.then(() => write(entries));
      writing = written.catch(() => writeWhenBack(`${entries.length} sent email(s) recorded`, () => write(entries)));
      return written;
    };
    return {
      add(token: string, row: MessageRow, resolved?: Partial<MessageRow>) {
        waiting.push({ token, row, resolved });
        if (waiting.length >= SENT_FLUSH_ROWS) void flush().catch(failed);
        else timer ??= setTimeout(() => void flush().catch(failed), SENT_FLUSH_MS);
      },
      flush,
    };
  }
  /** Every batch in flight in this instance marks its sent rows through this one recorder. */
  const sent = sentRecorder();

  /** What a failed attempt means for its row: another try later, or a final failure. */
  const afterFailure = (row: MessageRow, failure: FailureKind, error: unknown): Outcome => {
    const retry = row.attempts + 1 < config().outbox.attempts && (failure === 'database' || isTransient(error));
    return { state: retry ? 'queued' : 'failed', failure, reason: (error as Error).message, error: classifyFailure(failure, error) };
  };

  /**
   * Visitors' requests, resolved now (after the reply), by message id: an eligible account becomes a `code`
   * message; an ineligible one is audited and, if the site wants, sent a notice; an unknown address is skipped.
   */
  async function resolveRequests(requests: MessageRow[]) {
    const resolutions = new Map<number, { account?: Account; outcome?: Outcome; notice?: TemplateName }>();
    if (requests.length === 0) return resolutions;
    // A batch of requests is looked up in a few queries (a flood of requests used to cost three queries each).
    const byEmail = await accounts().findManyByEmails(requests.map((row) => row.address ?? ''));
    const accountOf = (row: MessageRow) => byEmail.get(normalizeEmail(row.address ?? ''));
    const known = requests.map(accountOf).filter((account): account is Account => Boolean(account?.email));
    const reasons = await accounts().whyManyIneligibleForSelfService(known);
    const refusals: AuditEntry[] = [];
    for (const row of requests) {
      const account = accountOf(row);
      if (!account?.email) {
        resolutions.set(row.id, { outcome: { state: 'skipped', reason: 'unknown-account' } });
        continue;
      }
      const reason = reasons.get(account.id) ?? null;
      if (!reason) {
        resolutions.set(row.id, { account });
        continue;
      }
      refusals.push({ action: 'request.ineligible', actor: row.actor, targetUserId: account.id, details: { reason } });
      resolutions.set(
        row.id,
        config().notifyIneligible ? { account, notice: 'ineligible' } : { account, outcome: { state: 'skipped', reason } },
      );
    }
    await audit().record(refusals);
    return resolutions;
  }

  /** Write codes for these accounts in one transaction; if that fails, one by one, so one bad row fails alone. */
  async function issueCodes(
    userIds: number[],
    purpose: Purpose,
    actor: Actor,
    outcomes: Map<number, Outcome>,
    rowOf: Map<number, MessageRow>,
  ) {
    try {
      const issued = await strapi.db.transaction(() => codes().insertCodes(userIds, purpose, actor));
      await codes().revokeSuperseded(userIds, actor);
      return issued;
    } catch {
      const issued: IssuedCode[] = [];
      for (const userId of userIds) {
        try {
          issued.push(await codes().issueCode(userId, purpose, actor));
        } catch (error) {
          strapi.log.error(`[password-reset] code not issued for account ${userId}: ${(error as Error).message}`);
          const row = rowOf.get(userId) as MessageRow;
          outcomes.set(row.id, afterFailure(row, 'database', new Error('The database could not store the code; nothing was sent.')));
        }
      }
      return issued;
    }
  }

  /**
   * Keep a batch's claim while it is being sent, renewing its lease every third of `outbox.leaseSeconds`, as long
   * as the batch makes progress: a slow mail server must not let another worker (or this one's other lane) take
   * over rows this one is still sending, but a batch that is stuck (its sends each end within their deadline, so
   * only something else can hold it) lets its rows go to another worker. Returns the function that stops renewing.
   */
  function holdClaim(batch: Batch) {
    const every = (config().outbox.leaseSeconds * 1000) / 3;
    const timer = setInterval(() => {
      if (Date.now() - batch.progressAt > every + config().email.sendTimeoutMs) return;
      const until = leaseUntil();
      void messages()
        .updateMany({ where: { claimToken: batch.token, state: 'sending' }, data: { leaseUntil: until } })
        .then(() => (batch.leaseEndsAt = until.getTime()))
        .catch((error: Error) => strapi.log.error(`[password-reset] outbox lease not renewed: ${error.message}`));
    }, every);
    timer.unref();
    return () => clearInterval(timer);
  }

  /** Send claimed rows and record each outcome, holding their claim until done. */
  async function deliver(token: string, rows: MessageRow[]) {
    const leaseEndsAt = Math.min(...rows.map((row) => (row.leaseUntil ? new Date(row.leaseUntil).getTime() : 0)));
    const batch: Batch = { token, emails: [], leaseEndsAt, progressAt: Date.now(), stopped: null, releasing: Promise.resolve() };
    batches.add(batch);
    const release = holdClaim(batch);
    try {
      return await sendClaimed(batch, rows);
    } catch (error) {
      // The batch failed (the database, most likely): its rows that never became an email under way go back to the
      // queue now rather than when their lease runs out; rows already recorded are left as they are.
      const started = new Set(batch.emails.filter((email) => email.state === 'started').map((email) => email.row.id));
      // Due again at once when the database was the trouble (it is back when they can be claimed); after the first
      // retry delay otherwise, so that a row that fails its batch for another reason is not claimed in a loop.
      const retryInMs = isDatabaseUnavailable(error) ? 0 : retryDelayMs(1, config().outbox.retryAfterSeconds);
      stopBatch(batch, `it failed: ${(error as Error).message}`, retryInMs);
      await batch.releasing;
      const rest = rows.filter((row) => !started.has(row.id) && !batch.emails.some((email) => email.row.id === row.id));
      if (rest.length > 0)
        await putBack(
          token,
          rest.map((row) => row.id),
          [],
          retryInMs,
        );
      throw error;
    } finally {
      release();
      batches.delete(batch);
    }
  }

  async function sendClaimed(batch: Batch, rows: MessageRow[]) {
    const { token } = batch;
    // Outcomes known before sending; those of sends are recorded as each ends.
    const outcomes = new Map<number, Outcome>();
    // Fields a row gets once handled: a request resolved to its account, or turned into a notice.
    const resolved = new Map<number, Partial<MessageRow>>();
    const codeRows: Array<{ row: MessageRow; account: Account | null; purpose: Purpose }> = [];
    const notices: Array<{ row: MessageRow; template: TemplateName; to: string; variables: Record<string, string>; locale: string }> = [];

    // The accounts of codes, and of notices for their language (a notice's address is the one it was queued for).
    const wanted = rows.filter((row) => row.kind !== 'request' && row.userId).map((row) => row.userId as number);
    const found = new Map((wanted.length ? await accounts().findManyByIds(wanted) : []).map((account) => [account.id, account]));
    const requests = await resolveRequests(rows.filter((row) => row.kind === 'request'));
    for (const row of rows) {
      if (row.kind === 'notice') {
        const locale = mailer().localeOf(accounts().languageOf(found.get(row.userId as number)), row.data?.locale);
        const variables = { ...row.data, ...accounts().templateValues(found.get(row.userId as number)) };
        notices.push({ row, template: row.template as TemplateName, to: row.address ?? '', variables, locale });
      } else if (row.kind === 'code') {
        codeRows.push({ row, account: found.get(row.userId as number) ?? null, purpose: row.template as Purpose });
      } else {
        const { account, outcome, notice } = requests.get(row.id) ?? {};
        if (account) resolved.set(row.id, { userId: account.id });
        if (outcome) outcomes.set(row.id, outcome);
        else if (notice && account?.email) {
          resolved.set(row.id, { userId: account.id, template: notice });
          const locale = mailer().localeOf(accounts().languageOf(account), row.data?.locale);
          const variables = { ...accounts().templateValues(account), username: account.username ?? '' };
          notices.push({ row, template: notice, to: account.email, variables, locale });
        } else if (account) codeRows.push({ row, account, purpose: 'reset' });
      }
    }

    // One email per account per batch: of several messages for one account (a visitor asking again and again),
    // the newest is sent and the others end as superseded, so that the last email carries the live code.
    const newest = new Map<number, number>();
    for (const { row, account } of codeRows) if (account) newest.set(account.id, Math.max(row.id, newest.get(account.id) ?? 0));
    // Accounts checked again at sending time: one may have been deleted, blocked or emptied since it was queued.
    const sendable: typeof codeRows = [];
    for (const item of codeRows) {
      if (item.account && newest.get(item.account.id) !== item.row.id) {
        outcomes.set(item.row.id, { state: 'skipped', reason: 'superseded' });
        continue;
      }
      const reason: Reason | null = !item.account
        ? 'unknown-account'
        : item.account.blocked
          ? 'blocked'
          : item.account.email
            ? null
            : 'no-email';
      if (reason) outcomes.set(item.row.id, { state: 'skipped', reason });
      else sendable.push(item);
    }

    // Codes are written per (purpose, actor): a job's rows share both.
    const groups = new Map<string, typeof sendable>();
    for (const item of sendable) {
      const key = `${item.purpose}|${describeActor(item.row.actor)}`;
      const group = groups.get(key);
      if (group) group.push(item);
      else groups.set(key, [item]);
    }
    const emails: Array<{ row: MessageRow; account: Account; purpose: Purpose; code: IssuedCode }> = [];
    for (const group of groups.values()) {
      const rowOf = new Map(group.map((item) => [item.account?.id as number, item.row]));
      const { purpose, row } = group[0];
      const issued = await issueCodes([...rowOf.keys()], purpose, row.actor, outcomes, rowOf);
      const byUser = new Map(group.map((item) => [item.account?.id as number, item]));
      for (const code of issued) {
        const item = byUser.get(code.userId);
        if (item?.account) emails.push({ row: item.row, account: item.account, purpose, code });
      }
    }

    const settle = async (row: MessageRow, outcome: Outcome) => {
      if (outcome.state === 'sent') sent.add(token, row, resolved.get(row.id));
      else await recordAll(token, [{ row, outcome, resolved: resolved.get(row.id) }]);
    };
    batch.progressAt = Date.now();
    /**
     * One email, within its deadline. A mail server that did not answer in time stops the batch: the emails not
     * yet started go back to the queue for the retry delay, instead of each waiting out a deadline of its own.
     */
    const attempt = async (row: MessageRow, send: () => Promise<void>, onFailure: (error: unknown) => Promise<Outcome>) => {
      try {
        await withDeadline(send(), config().email.sendTimeoutMs, 'The mail server');
        batch.progressAt = Date.now();
        await settle(row, { state: 'sent' });
      } catch (error) {
        batch.progressAt = Date.now();
        if (error instanceof DeadlineError) {
          const retryInMs = retryDelayMs(1, config().outbox.retryAfterSeconds);
          claimsPausedUntil = Math.max(claimsPausedUntil, Date.now() + retryInMs);
          stopBatch(batch, error.message, retryInMs);
        }
        await settle(row, await onFailure(error));
      }
    };
    const waiting = (row: MessageRow, code?: BatchEmail['code']) => {
      const email: BatchEmail = { row, code, state: 'waiting' };
      batch.emails.push(email);
      return email;
    };
    const work: Array<() => Promise<void>> = [
      ...emails.map(({ row, account, purpose, code }) => {
        const email = waiting(row, { id: code.codeId, userId: account.id, purpose });
        return async () => {
          if (!mayStart(batch, email)) return;
          const locale = mailer().localeOf(accounts().languageOf(account), row.data?.locale);
          const variables = {
            ...accounts().templateValues(account),
            username: account.username ?? '',
            link: mailer().resetLink(code.token, row.data?.legacyPage, row.data?.redirectTo),
            ...mailer().codeVariables(code.expiresAt, locale),
          };
          await attempt(
            row,
            () => mailer().send(purpose, account.email as string, variables, locale),
            async (error) => {
              // A code whose email was not accepted is revoked: no live code is left that its holder never saw.
              await codes().revokeCodes(account.id, 'email-failed', row.actor, { ids: [code.codeId] });
              return failed(row, error, { purpose }, account.id);
            },
          );
        };
      }),
      ...notices.map(({ row, template, to, variables, locale }) => {
        const email = waiting(row);
        return async () => {
          if (!mayStart(batch, email)) return;
          await attempt(
            row,
            () => mailer().send(template, to, variables, locale),
            (error) => failed(row, error, { template }, row.userId ?? undefined),
          );
        };
      }),
    ];
    // Each send settles on its own; one whose outcome could not be written (the database failing) stops the batch,
    // so that no email goes out that could not be recorded.
    const settled = await Promise.allSettled(
      work.map((send) =>
        sending(send).catch((error: unknown) => {
          stopBatch(batch, `the database failed: ${(error as Error).message}`);
          throw error;
        }),
      ),
    );
    await sent.flush();
    await batch.releasing;
    const failure = settled.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failure) throw failure.reason;
    // Rows that ended before any email: skipped, or their code could not be stored.
    const byId = new Map(rows.map((row) => [row.id, row]));
    await recordAll(
      token,
      [...outcomes].map(([id, outcome]) => ({ row: byId.get(id) as MessageRow, outcome, resolved: resolved.get(id) })),
    );
    return rows.length;
  }

  async function failed(row: MessageRow, error: unknown, details: Record<string, unknown>, userId?: number) {
    const outcome = afterFailure(row, 'email', error);
    await audit().record({
      action: 'email.failed',
      actor: row.actor,
      targetUserId: userId ?? null,
      details: { ...details, error: (error as Error).message, attempt: row.attempts + 1, final: outcome.state === 'failed' },
    });
    return outcome;
  }

  // The worker: one loop per instance, woken at once by work queued here, polling for work queued elsewhere.
  const worker = {
    running: false,
    loop: null as Promise<void> | null,
    /** Lanes waiting for work, woken by `wake`. */
    waiting: new Set<() => void>(),
    inFlight: new Set<Promise<unknown>>(),
    lastPrune: 0,
  };
  const track = <T>(work: Promise<T>) => {
    worker.inFlight.add(work);
    return work.finally(() => worker.inFlight.delete(work));
  };

  return {
    /** Write messages, inside the caller's transaction if there is one; `wake` to have them sent at once. */
    write: (batch: NewMessage[]) => insert(withRequestLocale(batch)),

    /**
     * Write messages; this instance's worker takes them at once, another instance's at its next poll. Inside a
     * transaction the rows belong to it (a rolled-back write sends nothing, and costs no commit of its own) and
     * the worker is woken once it commits; outside, they share an INSERT with other callers'.
     */
    async enqueue(batch: NewMessage[]) {
      // The language is read here, in the caller's request: a grouped INSERT runs in the first caller's.
      const rows = withRequestLocale(batch);
      if (!strapi.db.inTransaction()) {
        await insertGrouped(rows);
        this.wake();
        return;
      }
      await insert(rows);
      await afterCommit(strapi, () => this.wake());
    },

    /**
     * Write messages claimed by this call and send them now, for a caller that waits for the outcome (an
     * administrator's small send). If this process dies first, the claim runs out and a worker sends them.
     */
    async sendNow(batch: NewMessage[]): Promise<MessageRow[]> {
      const token = randomUUID();
      await insert(withRequestLocale(batch), token);
      const rows: MessageRow[] = await messages().findMany({ where: { claimToken: token }, orderBy: { id: 'asc' } });
      await track(deliver(token, rows));
      return messages().findMany({ where: { id: { $in: rows.map((row) => row.id) } }, orderBy: { id: 'asc' } });
    },

    /** Plan a part of a job, then claim and send one batch of due messages. Returns how much was done. */
    step(): Promise<number> {
      return track(
        (async () => {
          const jobs = getPluginService(strapi, 'jobs');
          const planned = await jobs.planSome();
          if (Date.now() < claimsPausedUntil) return planned;
          const { token, rows } = await claim(config().outbox.batchSize);
          if (rows.length === 0) return planned;
          await deliver(token, rows);
          const jobIds = [...new Set(rows.map((row) => row.jobId).filter((id): id is number => id !== null))];
          for (const jobId of jobIds) await jobs.finishIfDone(jobId);
          return planned + rows.length;
        })(),
      );
    },

    /**
     * Wake the waiting lanes in the next turn of the event loop: a caller's request writes its response first,
     * instead of sharing the process with the lanes' queries and rendering until it has.
     */
    wake() {
      void nextTurn().then(() => {
        for (const done of [...worker.waiting]) done();
      });
    },

    start() {
      if (worker.running || !config().outbox.worker) return;
      worker.running = true;
      // Lanes that each claim and send a batch, independently: while one prepares its next batch (queries),
      // the others keep the mail server busy, so sending never waits for a batch to be prepared.
      const lane = async () => {
        while (worker.running) {
          let worked = 0;
          try {
            worked = await this.step();
            if (Date.now() - worker.lastPrune > 3600 * 1000) {
              worker.lastPrune = Date.now();
              await getPluginService(strapi, 'jobs').prune();
            }
          } catch (error) {
            strapi.log.error(`[password-reset] outbox worker: ${(error as Error).message}`);
          }
          if (worked > 0 && worked < config().outbox.batchSize && worker.running) await sleep(GATHER_MS);
          else if (worked === 0 && worker.running) {
            await new Promise<void>((resolve) => {
              const done = () => {
                clearTimeout(timer);
                worker.waiting.delete(done);
                resolve();
              };
              const timer = setTimeout(done, config().outbox.pollIntervalMs);
              timer.unref();
              worker.waiting.add(done);
            });
          }
        }
      };
      worker.loop = Promise.all(Array.from({ length: WORKER_LANES }, lane)).then(() => undefined);
    },

    /**
     * Stop this instance's worker: no more claims; emails under way finish (each within `email.sendTimeoutMs`) and
     * the rest of their batches go back to the queue at once, for another instance or the next start.
     */
    async stop() {
      worker.running = false;
      stopBatches('Strapi is shutting down');
      this.wake();
      await worker.loop;
      await Promise.allSettled([...worker.inFlight]);
      // A last try at what the database did not take, within one send deadline (a database that hangs would hold
      // the shut-down for the pool's own timeout); what it still refuses waits for the rows' lease.
      await withDeadline(writeUnwritten(), config().email.sendTimeoutMs, 'The last write to the database').catch(() => undefined);
      if (retryTimer) clearTimeout(retryTimer);
      retryTimer = null;
    },

    /** Send everything due now, here, and wait for sends under way (tests and scripts; messages waiting for a retry stay). */
    async drain() {
      for (;;) {
        await Promise.allSettled([...worker.inFlight]);
        const worked = await this.step();
        if (worked === 0 && worker.inFlight.size === 0) return;
      }
    },

    /** Send the notice to an account's previous address that someone else changed it. */
    async notifyEmailChanged(userId: number, previousEmail: string, actor: Actor) {
      const account = await accounts().findById(userId);
      await this.enqueue([
        {
          kind: 'notice',
          template: 'emailChanged',
          userId,
          address: previousEmail,
          data: { username: account?.username ?? '', changedAt: new Date().toISOString() },
          actor,
        },
      ]);
    },
  };
};

export type OutboxService = ReturnType<typeof outboxService>;
export default outboxService;
