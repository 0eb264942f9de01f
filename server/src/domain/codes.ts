// What keeps a code alive besides its own clock and single use (ARCHITECTURE.md, invariant 1). Pure.
import { emailFingerprint } from './email';
import { higherKind, type RoleKind } from './restrictions';
import type { CodeState } from '../../../shared/contracts';

/** Where a code stands at `now`, by its own record: used, revoked, expired or live. The one place that decides it. */
export function codeState(code: { usedAt: unknown; revokedAt: unknown; expiresAt: string | Date }, now: Date): CodeState {
  if (code.usedAt) return 'used';
  if (code.revokedAt) return 'revoked';
  return new Date(code.expiresAt).getTime() <= now.getTime() ? 'expired' : 'live';
}

/** What a code row records of the account it was issued for. Rows from before 0.2 have neither (null). */
export interface CodeBinding {
  emailHash: string | null;
  accountKind: RoleKind | null;
}

export interface AccountNow {
  email: string | null;
  blocked: boolean | null;
  kind: RoleKind;
}

/** The binding to record when a code is issued to this account. */
export const bindingOf = (account: AccountNow): CodeBinding => ({ emailHash: emailFingerprint(account.email), accountKind: account.kind });

/**
 * Whether the account is still what the code was issued for: the same address, not blocked, and no more
 * protected than it was (a code sent to a regular account dies if the account became owner or privileged).
 * A code from before bindings were recorded is held to a regular account.
 */
export function codeStillApplies(code: CodeBinding, account: AccountNow): boolean {
  if (account.blocked || !account.email) return false;
  if (code.emailHash !== null && code.emailHash !== emailFingerprint(account.email)) return false;
  const issuedFor = code.accountKind ?? 'regular';
  return higherKind(account.kind, issuedFor) === issuedFor;
}
