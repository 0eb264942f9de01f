// The audit log (DESIGN.md invariant 7): one row per code issued, used, expired or revoked, per password
// set by an administrator or a token, per refusal on restriction grounds, per PIN check. Never a token or a password.
import type { Core } from '@strapi/strapi';
import { AUDIT_UID } from '../utils/plugin';
import type { Actor } from '../utils/actor';

export type AuditAction =
  | 'code.issued'
  | 'code.used'
  | 'code.expired'
  | 'code.revoked'
  | 'password.reset'
  | 'password.set'
  | 'password.changed'
  | 'request.ineligible'
  | 'restriction.refused'
  | 'email.failed'
  | 'pin.checked';

export interface AuditEntry {
  action: AuditAction;
  actor: Actor;
  targetUserId?: number | null;
  details?: Record<string, unknown>;
}

const auditService = ({ strapi }: { strapi: Core.Strapi }) => ({
  async record(entries: AuditEntry | AuditEntry[]) {
    const rows = (Array.isArray(entries) ? entries : [entries]).map((entry) => ({
      action: entry.action,
      actorType: entry.actor.type,
      actorId: entry.actor.id ?? null,
      ip: entry.actor.ip ?? null,
      targetUserId: entry.targetUserId ?? null,
      details: entry.details ?? null,
    }));
    if (rows.length > 0) await strapi.db.query(AUDIT_UID).createMany({ data: rows });
  },

  /**
   * Record a refusal. The refusal usually makes the surrounding transaction roll back, which would take an
   * ordinary audit row with it, so inside a transaction the row is written once the transaction has ended.
   */
  async recordRefusal(entry: AuditEntry) {
    if (!strapi.db.inTransaction()) return this.record(entry);
    const write = () => {
      this.record(entry).catch((error: Error) => strapi.log.error(`[password-reset] audit write failed: ${error.message}`));
    };
    await strapi.db.transaction(async ({ onCommit, onRollback }) => {
      onCommit(write);
      onRollback(write);
    });
  },
});

export type AuditService = ReturnType<typeof auditService>;
export default auditService;
