// A message in the outbox: the intent to send one email (ARCHITECTURE.md, "Delivery"). Never a secret: a code is
// created when its email is sent, so a row says whom to write and why, not what.
import { internalCollection } from '../internal-collection';
import { DELIVERY_ERRORS, ITEM_STATES } from '../../../../shared/contracts';
import { MESSAGE_KINDS } from '../../domain/delivery';

export default internalCollection(
  {
    collectionName: 'password_reset_outbox',
    singularName: 'outbox-message',
    pluralName: 'outbox-messages',
    displayName: 'Password reset outbox message',
  },
  {
    /** `code`: issue a code and email it; `request`: a visitor's request for an address; `notice`: a template, as is. */
    kind: { type: 'enumeration', enum: [...MESSAGE_KINDS], required: true, configurable: false },
    /** The code's purpose (`code`, `request`) or the template's name (`notice`). */
    template: { type: 'string', required: true, configurable: false },
    userId: { type: 'integer', configurable: false },
    /** The address a visitor typed (`request`; cleared once handled) or a notice's recipient. */
    address: { type: 'string', private: true, configurable: false },
    /** A notice's template variables; a code's link options. */
    data: { type: 'json', configurable: false },
    /** Who asked, as stored on codes and audit rows. */
    actor: { type: 'json', required: true, configurable: false },
    jobId: { type: 'integer', configurable: false },
    state: { type: 'enumeration', enum: [...ITEM_STATES], required: true, default: 'queued', configurable: false },
    /** With `skipped`: a reason code. With `failed`: the mail server's or database's words. */
    reason: { type: 'text', configurable: false },
    failure: { type: 'enumeration', enum: ['database', 'email'], configurable: false },
    /** The last failed attempt: when, and what kind of failure (domain/delivery.ts), for delivery health. */
    failedAt: { type: 'datetime', configurable: false },
    errorKind: { type: 'enumeration', enum: [...DELIVERY_ERRORS], configurable: false },
    attempts: { type: 'integer', required: true, default: 0, configurable: false },
    /** A queued message is due from then (later after a transient failure). */
    nextAttemptAt: { type: 'datetime', required: true, configurable: false },
    /** A message being sent: who claimed it, and until when the claim holds. */
    claimToken: { type: 'string', configurable: false },
    leaseUntil: { type: 'datetime', configurable: false },
    finishedAt: { type: 'datetime', configurable: false },
  },
  [
    { columns: ['state', 'next_attempt_at'] },
    { columns: ['job_id', 'state'] },
    { columns: ['claim_token'] },
    // Delivery health: failures of the last day, the last accepted email, the latest failed attempts.
    { columns: ['state', 'finished_at'] },
    { columns: ['failed_at'] },
  ],
);
