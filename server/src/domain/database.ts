// Whether an error means the database could not be reached, rather than that a query was wrong (ARCHITECTURE.md,
// "Delivery"): the public routes answer the first with a 503 and Retry-After (nothing was stored; try again), never
// a 500.

/** Error codes of a connection that could not be opened or was lost: Node's, mysql2's, and PostgreSQL's SQLSTATE. */
const UNAVAILABLE_CODES = new Set([
  // Node's sockets (pg, mysql2)
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  // mysql2
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  // PostgreSQL: class 08 (connection exception), shutting down, too many connections, cannot connect now
  '08000',
  '08001',
  '08003',
  '08006',
  '57P01',
  '57P02',
  '57P03',
  '53300',
  // SQLite: the file is locked by another writer for longer than the busy timeout
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
]);

/**
 * Messages of errors that carry no code: knex's pool waiting past `acquireConnectionTimeout`, pg's client whose
 * connection ended under it.
 */
const UNAVAILABLE_MESSAGES = [
  /^Knex: Timeout acquiring a connection/,
  /Connection terminated/,
  /Client has encountered a connection error and is not queryable/,
  /Client was closed and is not queryable/,
];

/** Whether `error` (or an error it wraps, as `cause` or knex's `nativeError`) says the database is out of reach. */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 3) return false;
  const { code, errno, message, cause, nativeError } = error as Record<string, unknown>;
  if (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) return true;
  if (typeof errno === 'string' && UNAVAILABLE_CODES.has(errno)) return true;
  if (typeof message === 'string' && UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(message))) return true;
  return isDatabaseUnavailable(cause, depth + 1) || isDatabaseUnavailable(nativeError, depth + 1);
}
