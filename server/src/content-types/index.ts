// The plugin's own tables, all hidden from the Content Manager and the Content-Type Builder.
import code from './code/schema';
import auditEvent from './audit-event/schema';
import accountState from './account-state/schema';
import outboxMessage from './outbox-message/schema';
import job from './job/schema';

export default {
  code: { schema: code },
  'audit-event': { schema: auditEvent },
  'account-state': { schema: accountState },
  'outbox-message': { schema: outboxMessage },
  job: { schema: job },
};
