// The plugin's own tables, all hidden from the Content Manager and the Content-Type Builder.
import activationCode from './activation-code/schema';
import auditEvent from './audit-event/schema';
import accountState from './account-state/schema';

export default {
  'activation-code': { schema: activationCode },
  'audit-event': { schema: auditEvent },
  'account-state': { schema: accountState },
};
