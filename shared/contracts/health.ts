// Delivery health (ARCHITECTURE.md, "Delivery"): what the outbox says about the mail server, one shape for the
// plugin's page and for monitoring (`GET /password-reset/health`, `GET /api/password-reset/health`).
import type { ItemState } from './jobs';

/**
 * Why an attempt to send failed, as recorded on its outbox row: the mail server could not be reached (`network`)
 * or did not answer in time (`timeout`); it answered "try later" (`deferred`, 4xx) or "never" (`rejected`, 5xx);
 * the database could not store the code (`database`); anything else (`other`: a template, the configuration).
 */
export const DELIVERY_ERRORS = ['network', 'timeout', 'deferred', 'rejected', 'database', 'other'] as const;
export type DeliveryError = (typeof DELIVERY_ERRORS)[number];

/** Errors that say the mail server was not reached at all. */
export const UNREACHABLE_ERRORS: readonly DeliveryError[] = ['network', 'timeout'];

/**
 * What needs an administrator's eye, as codes the admin panel translates:
 * - `mail-server-unreachable`: the latest attempt to reach the mail server failed (network or timeout), with no
 *   email accepted since;
 * - `emails-waiting-too-long`: an email has waited longer than `outbox.warnWaitingSeconds`;
 * - `emails-failed`: emails failed for good in the last 24 hours.
 */
export const HEALTH_WARNINGS = ['mail-server-unreachable', 'emails-waiting-too-long', 'emails-failed'] as const;
export type HealthWarning = (typeof HEALTH_WARNINGS)[number];

/** `down`: the mail server is unreachable; `degraded`: any other warning; `ok`: none. */
export type HealthStatus = 'ok' | 'degraded' | 'down';

/** How many recent failures the answer lists, newest first. */
export const RECENT_FAILURES_LIMIT = 20;

export interface RecentFailure {
  /** When the attempt failed. */
  at: string;
  /** The address, or null when the caller may not see it (an account it may not manage) or there is none. */
  to: string | null;
  /** The account, when the message had one. */
  userId: number | null;
  /** Whose request it was: a visitor's request, a code an administrator or token sent, or a notice. */
  kind: 'request' | 'code' | 'notice';
  /** The code's purpose or the notice's template. */
  template: string;
  error: DeliveryError;
  /** The mail server's or database's words. */
  reason: string | null;
  /** Failed for good (`failed`); otherwise it waits for another try (`queued`). */
  final: boolean;
  state: ItemState;
  attempts: number;
  jobId: number | null;
}

export interface DeliveryHealth {
  status: HealthStatus;
  /** When this answer was computed. */
  checkedAt: string;
  /** Messages queued, due now or waiting for a retry. */
  waiting: number;
  /** Messages claimed by a worker and being sent. */
  sending: number;
  /** Age of the oldest message waiting or being sent; null when none. */
  oldestWaitingSeconds: number | null;
  /** The threshold of `emails-waiting-too-long` (`outbox.warnWaitingSeconds`). */
  warnWaitingSeconds: number;
  /** Messages that failed for good in the last 24 hours, by error. */
  failedLastDay: { total: number; byError: Partial<Record<DeliveryError, number>> };
  recentFailures: RecentFailure[];
  mailServer: {
    /** The last email the mail server accepted. */
    lastSuccessAt: string | null;
    /** The last attempt that could not reach it (network or timeout). */
    lastFailureAt: string | null;
    unreachable: boolean;
  };
  warnings: HealthWarning[];
}
