// Whether a users-permissions token was issued before the account's last password change (ARCHITECTURE.md,
// invariant 8). A pure rule: the token's claims and the moment of the change are its parameters.

/** What a verified token says about when it was issued. */
export type TokenIssue =
  /** `iatMs`, the claim this plugin adds to every legacy token it sees issued: exact. */
  | { kind: 'exact'; ms: number }
  /** A refresh-mode access token: `iat` in whole seconds, and the session it belongs to. */
  | { kind: 'session'; seconds: number; sessionId: string }
  /** A legacy token issued before the plugin was installed: `iat` in whole seconds only. */
  | { kind: 'seconds'; seconds: number };

/**
 * `valid`, `refused`, or `ask-session`: the token is a refresh-mode access token issued in the same second as
 * the change, and stands only if its session still does. A password change deletes every session the account
 * had (lifecycles/user-guard.ts), so a session that exists was created after the change; asking costs a query,
 * and only in that second.
 */
export function tokenAgainstPasswordChange(issue: TokenIssue, changedAtMs: number): 'valid' | 'refused' | 'ask-session' {
  if (issue.kind === 'exact') return issue.ms < changedAtMs ? 'refused' : 'valid';
  const changedSecond = Math.floor(changedAtMs / 1000);
  if (issue.seconds < changedSecond) return 'refused';
  // A token of the change's second without a session to ask (issued before the plugin) stays valid, as before.
  return issue.seconds === changedSecond && issue.kind === 'session' ? 'ask-session' : 'valid';
}
