// The audit log's actions: written by the server, listed and labelled by the admin panel. One list for both.
export const AUDIT_ACTIONS = [
  'code.issued',
  'code.used',
  'code.expired',
  'code.revoked',
  'password.reset',
  'password.set',
  'password.changed',
  'request.ineligible',
  'restriction.refused',
  'account.changed',
  'email.failed',
  'job.started',
  'account.expiry-set',
  'pin.set',
  'pin.checked',
  'settings.changed',
  'template.changed',
  'template.reset',
  'template.test-sent',
  'template.test-refused',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/**
 * Every audit action is also a Strapi webhook event, `password-reset.<action>` (ARCHITECTURE.md, "Webhooks"):
 * the server registers these and emits one per audit row, once the row is committed.
 */
export const webhookEvent = (action: AuditAction) => `password-reset.${action}` as const;
export type WebhookEvent = ReturnType<typeof webhookEvent>;
export const WEBHOOK_EVENTS: readonly WebhookEvent[] = AUDIT_ACTIONS.map(webhookEvent);

/** The columns of the audit log's CSV export, in order. */
export const AUDIT_CSV_COLUMNS = [
  'id',
  'createdAt',
  'action',
  'accountId',
  'accountEmail',
  'accountUsername',
  'actorType',
  'actorId',
  'actorName',
  'ip',
  'details',
] as const;
