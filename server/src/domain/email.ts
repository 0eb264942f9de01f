// Email addresses compare trimmed and case-insensitively everywhere: requests, rate-limit buckets, lookups,
// and the address a code was issued for.
import { createHash } from 'node:crypto';

export const normalizeEmail = (email: string) => email.trim().toLowerCase();

/** What a code row keeps of the address it was sent to: enough to tell a change, nothing to read back. */
export const emailFingerprint = (email: string | null | undefined) =>
  email ? createHash('sha256').update(normalizeEmail(email)).digest('hex') : null;
