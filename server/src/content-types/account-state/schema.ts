// What this plugin keeps per account beside users-permissions' own columns.
import { internalCollection } from '../internal-collection';

export default internalCollection(
  {
    collectionName: 'password_reset_account_states',
    singularName: 'account-state',
    pluralName: 'account-states',
    displayName: 'Password reset account state',
  },
  {
    userId: { type: 'integer', required: true, unique: true, configurable: false },
    /** After this moment the account is expired and cannot use the public flow. */
    expiresAt: { type: 'datetime', configurable: false },
    /**
     * Where 0.1 kept the moment of the last password change; it now lives on the account row. Read once at boot
     * to move what 0.1 wrote (`accounts.movePasswordChangeMoments`), never written.
     */
    passwordChangedAt: { type: 'datetime', configurable: false },
    pinHash: { type: 'string', private: true, configurable: false },
    pinFailedAttempts: { type: 'integer', default: 0, configurable: false },
    pinLockedUntil: { type: 'datetime', configurable: false },
    /**
     * The account's address, normalized, when users-permissions' column holds it in another form (capitals
     * written by an import or a service call): the link-request lookup finds it here through an index.
     */
    emailLookup: { type: 'string', configurable: false },
  },
  [{ columns: ['user_id'], type: 'unique' }, { columns: ['email_lookup'] }],
);
