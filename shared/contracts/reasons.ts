// Why an account was not acted on: reason codes, stable for API clients and the admin panel's translations,
// each with the default text the server sends.

export const REASONS = {
  'unknown-account': 'There is no account with this id.',
  blocked: 'The account is blocked.',
  'no-email': 'The account has no email address.',
  'owner-requires-permission': 'This account has the owner role; you need the "Manage owner accounts" permission.',
  'owner-account':
    'This account has the owner role: it can only be managed in the admin panel, by an administrator allowed to manage owner accounts.',
  'privileged-account': 'This account has administrator access: it can only be managed in the admin panel.',
  'admin-set-password-off': 'This site does not let administrators set passwords or email addresses. Send an activation code instead.',
  'unreadable-write': 'This change to an account could not be checked against the account rules, so it was refused.',
  'recently-sent': 'A code was sent to this account in the last few minutes.',
} as const;
export type Reason = keyof typeof REASONS;

export const describeReason = (reason: Reason) => REASONS[reason];

/** The reasons that come from the restriction rule (server/src/domain/restrictions.ts). */
export type RestrictionReason = 'owner-requires-permission' | 'owner-account' | 'privileged-account' | 'admin-set-password-off';
