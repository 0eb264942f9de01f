// A bulk send as a job (ARCHITECTURE.md, "Delivery"): the accounts it names, who asked and with which
// permissions, and how far planning got. Its messages are outbox rows with its id.
import { internalCollection } from '../internal-collection';
import { JOB_STATES } from '../../../../shared/contracts';

export default internalCollection(
  {
    collectionName: 'password_reset_jobs',
    singularName: 'job',
    pluralName: 'jobs',
    displayName: 'Password reset job',
  },
  {
    state: { type: 'enumeration', enum: [...JOB_STATES], required: true, default: 'planning', configurable: false },
    /** The account ids, in the order given, each once. */
    userIds: { type: 'json', required: true, configurable: false },
    total: { type: 'integer', required: true, configurable: false },
    /** How many of `userIds` have their outbox row. */
    planned: { type: 'integer', required: true, default: 0, configurable: false },
    actor: { type: 'json', required: true, configurable: false },
    /** `actor` as the audit log names it (`admin:3`, `api-token:1`): whose job it is, for reading it (ARCHITECTURE.md, "Delivery"). */
    startedBy: { type: 'string', configurable: false },
    /** The caller's permissions when it asked; the rule is applied with these. */
    permissions: { type: 'json', required: true, configurable: false },
    skipRecent: { type: 'boolean', required: true, default: false, configurable: false },
    claimToken: { type: 'string', configurable: false },
    leaseUntil: { type: 'datetime', configurable: false },
    finishedAt: { type: 'datetime', configurable: false },
  },
  [{ columns: ['state'] }, { columns: ['started_by'] }],
);
