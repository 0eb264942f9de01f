// Pure rules of delivery (ARCHITECTURE.md, "Delivery"): what kinds of message the outbox holds, which mail
// failures are worth a retry and when, what kind of failure each was, and how a job's results are written as CSV.
import type { DeliveryError } from '../../../shared/contracts/health';

/** `code`: issue a code and email its link; `request`: a visitor asked for a link for an address; `notice`: a template. */
export const MESSAGE_KINDS = ['code', 'request', 'notice'] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

// Network failures on the way to the mail server: it may take the message on the next try.
const TRANSIENT_CODES = new Set(['ECONNECTION', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'EAI_AGAIN', 'EPIPE']);

/**
 * Whether a failed send may succeed if tried again: a 4xx SMTP reply ("try later") or a network failure. A 5xx
 * reply is final (RFC 5321, 4.2.1), and so is anything else (a template or configuration error).
 */
export function isTransient(error: unknown): boolean {
  const { responseCode, code } = (error ?? {}) as { responseCode?: unknown; code?: unknown };
  if (typeof responseCode === 'number') return responseCode >= 400 && responseCode < 500;
  return typeof code === 'string' && TRANSIENT_CODES.has(code);
}

/**
 * What kind of failure an attempt's error was, for delivery health: whether the mail server was reached at all
 * (a deadline passed is an error with code ETIMEDOUT, utils/concurrency.ts), and if so what it answered.
 */
export function classifyFailure(failure: 'database' | 'email', error: unknown): DeliveryError {
  if (failure === 'database') return 'database';
  const { responseCode, code } = (error ?? {}) as { responseCode?: unknown; code?: unknown };
  if (typeof responseCode === 'number') return responseCode >= 500 ? 'rejected' : responseCode >= 400 ? 'deferred' : 'other';
  if (code === 'ETIMEDOUT') return 'timeout';
  return typeof code === 'string' && TRANSIENT_CODES.has(code) ? 'network' : 'other';
}

const MAX_RETRY_DELAY_MS = 3600 * 1000;

/** How long to wait after the `attempts`-th failed try: `firstDelaySeconds`, doubling, at most an hour. */
export const retryDelayMs = (attempts: number, firstDelaySeconds: number) =>
  Math.min(firstDelaySeconds * 1000 * 2 ** Math.max(0, attempts - 1), MAX_RETRY_DELAY_MS);

/**
 * One CSV cell (RFC 4180): quoted when it holds a quote, comma or line break. A cell a spreadsheet would run as a
 * formula (it starts with = + - @, a tab or a carriage return) gets a leading apostrophe (OWASP, CSV injection).
 */
export function csvCell(value: unknown): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const csvLine = (values: unknown[]) => `${values.map(csvCell).join(',')}\r\n`;
