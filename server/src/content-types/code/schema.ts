// A code (reset or activation). Only the SHA-256 of the secret is stored; see services/codes.ts.
import { internalCollection } from '../internal-collection';

export default internalCollection(
  {
    collectionName: 'password_reset_codes',
    singularName: 'code',
    pluralName: 'codes',
    displayName: 'Password reset code',
  },
  {
    tokenHash: { type: 'string', required: true, private: true, configurable: false },
    purpose: { type: 'enumeration', enum: ['reset', 'activation'], required: true, configurable: false },
    userId: { type: 'integer', required: true, configurable: false },
    expiresAt: { type: 'datetime', required: true, configurable: false },
    usedAt: { type: 'datetime', configurable: false },
    revokedAt: { type: 'datetime', configurable: false },
    /** Why a code died before use: `superseded`, `password-changed`, `account-changed`, `email-failed`. */
    revokedReason: { type: 'string', configurable: false },
    /** What the code was issued for: the account's address (a SHA-256 of it) and kind. Redeeming re-checks both. */
    emailHash: { type: 'string', private: true, configurable: false },
    accountKind: { type: 'enumeration', enum: ['regular', 'privileged', 'owner'], configurable: false },
    /** Who asked for it, as an actor string (`visitor:<ip>`, `admin:<id>`, `api-token:<id>`, `system`). */
    issuedBy: { type: 'string', configurable: false },
  },
  [{ columns: ['token_hash'], type: 'unique' }, { columns: ['user_id', 'purpose'] }],
);
