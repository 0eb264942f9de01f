// One row of the audit log (ARCHITECTURE.md, invariant 7). Never holds a token or a password.
import { internalCollection } from '../internal-collection';
import { ACTOR_TYPES } from '../../../../shared/contracts';

export default internalCollection(
  {
    collectionName: 'password_reset_audit_events',
    singularName: 'audit-event',
    pluralName: 'audit-events',
    displayName: 'Password reset audit event',
  },
  {
    action: { type: 'string', required: true, configurable: false },
    actorType: {
      type: 'enumeration',
      enum: [...ACTOR_TYPES],
      required: true,
      configurable: false,
    },
    /** Admin user id, API token id or end-user id; empty for visitors and the system. */
    actorId: { type: 'string', configurable: false },
    ip: { type: 'string', configurable: false },
    targetUserId: { type: 'integer', configurable: false },
    details: { type: 'json', configurable: false },
  },
  [{ columns: ['target_user_id'] }, { columns: ['created_at'] }],
);
