// Bulk sends as jobs, and the outbox every email goes through (ARCHITECTURE.md, "Delivery"): the states, the
// counts and the shapes of the job routes, as the server builds them and the admin panel reads them.
import type { Reason } from './reasons';

/** A job: checking the named accounts (`planning`), sending (`sending`), finished (`done`). */
export const JOB_STATES = ['planning', 'sending', 'done'] as const;
export type JobState = (typeof JOB_STATES)[number];

/** One account's message in the outbox: waiting (or waiting for a retry), being sent, or its final outcome. */
export const ITEM_STATES = ['queued', 'sending', 'sent', 'skipped', 'failed'] as const;
export type ItemState = (typeof ITEM_STATES)[number];

/** Why a message failed for good: the database could not store its code, or the mail server refused it. */
export type FailureKind = 'database' | 'email';

/** How a job's accounts stand. `queued` counts messages waiting, retrying or being sent. */
export interface JobCounts {
  /** Accounts the job names (each once). */
  total: number;
  /** Accounts checked against the rules so far; `total` once planning is over. */
  planned: number;
  queued: number;
  sent: number;
  skipped: number;
  failed: number;
  skippedBy: Partial<Record<Reason, number>>;
  failedBy: Partial<Record<FailureKind, number>>;
}

/** `GET /password-reset/jobs/:id`, and each row of `GET /password-reset/jobs`. */
export interface JobSummary {
  id: number;
  state: JobState;
  /** Who started it, as the audit log names actors (`admin:3`, `api-token:1`). */
  createdBy: string;
  createdAt: string;
  finishedAt: string | null;
  counts: JobCounts;
}

/** A page of rows: what every paged route of the plugin answers with. */
export interface Pagination {
  page: number;
  pageSize: number;
  total: number;
  pageCount: number;
}

/** `GET /password-reset/jobs`: the newest first. */
export interface JobsPage {
  results: JobSummary[];
  pagination: Pagination;
}

/** `POST /password-reset/codes` naming more accounts than `bulk.inlineLimit`: 202, and the job to follow. */
export interface JobStarted {
  job: JobSummary;
}

/** One account of a job. `reason` is a reason code with `skipped`, the mail server's or database's words with `failed`. */
export interface JobItem {
  userId: number;
  email: string | null;
  status: ItemState;
  reason?: Reason | string;
  message?: string;
  failure?: FailureKind;
  attempts: number;
  updatedAt: string;
}

/** `GET /password-reset/jobs/:id/items`: failures first, then skipped, then the rest, by account id. */
export interface JobItemsPage {
  results: JobItem[];
  pagination: Pagination;
}

/** `POST /password-reset/codes/dry-run`: what a send of these accounts would do now, by the rule the send uses. */
export interface DryRunResponse {
  total: number;
  willSend: number;
  skipped: number;
  skippedBy: Partial<Record<Reason, number>>;
}

/** Columns of `GET /password-reset/jobs/:id/items.csv`, in order. */
export const JOB_CSV_COLUMNS = ['userId', 'email', 'status', 'reason', 'message', 'attempts', 'updatedAt'] as const;
