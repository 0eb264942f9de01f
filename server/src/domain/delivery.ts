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

/** Characters a spreadsheet runs a cell that starts with as a formula (OWASP, CSV injection). */
const FORMULA_STARTS = new Set(['=', '+', '-', '@', '\t', '\r']);
/**
 * Characters after which a spreadsheet may start a new cell: the separators of every locale (`,` in English,
 * `;` where the comma is the decimal mark, tab when pasted) and line breaks. A reader that splits on one of them
 * without honouring quotes sees each part as a cell of its own.
 */
const CELL_BREAKS = new Set([',', ';', '\t', '\r', '\n']);

/**
 * One CSV cell (RFC 4180), always quoted, quotes doubled. Each part a spreadsheet could read as a cell — the
 * whole value, and whatever follows a separator or line break — gets a leading apostrophe when it starts like a
 * formula, so that `bob;=HYPERLINK(A1)` stays text in a `;` locale too (ARCHITECTURE.md, "The audit log and webhooks").
 */
export function csvCell(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  let defused = '';
  let partStarts = true;
  for (const char of text) {
    if (partStarts && FORMULA_STARTS.has(char)) defused += "'";
    defused += char;
    partStarts = CELL_BREAKS.has(char);
  }
  return `"${defused.replace(/"/g, '""')}"`;
}

export const csvLine = (values: unknown[]) => `${values.map(csvCell).join(',')}\r\n`;
