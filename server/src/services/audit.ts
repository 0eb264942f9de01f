// The audit log (ARCHITECTURE.md, invariant 7): one row per code issued, used, expired or revoked, per password
// set by an administrator or a token, per refusal on restriction grounds, per PIN check. Never a token or a password.
import type { Core } from '@strapi/strapi';
import { AUDIT_UID } from '../utils/plugin';
import type { Actor } from '../utils/actor';

import type { AuditAction } from '../../../shared/contracts';

export interface AuditEntry {
  action: AuditAction;
  actor: Actor;
  targetUserId?: number | null;
  details?: Record<string, unknown>;
}

export interface AuditFilters {
  userId?: number;
  actorType?: string;
  actorId?: string;
  action?: string;
  from?: Date | null;
  to?: Date | null;
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

  /** A page of the log, newest first, filtered by account, actor, action and date range. */
  async list(filters: AuditFilters, { page, pageSize }: { page: number; pageSize: number }) {
    const where: Record<string, unknown> = {};
    if (filters.userId) where.targetUserId = filters.userId;
    if (filters.actorType) where.actorType = filters.actorType;
    if (filters.actorId) where.actorId = filters.actorId;
    if (filters.action) where.action = filters.action;
    if (filters.from || filters.to) {
      where.createdAt = { ...(filters.from ? { $gte: filters.from } : {}), ...(filters.to ? { $lte: filters.to } : {}) };
    }
    const events = strapi.db.query(AUDIT_UID);
    const [results, total] = await Promise.all([
      events.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], offset: (page - 1) * pageSize, limit: pageSize }),
      events.count({ where }),
    ]);
    return { results, pagination: { page, pageSize, total, pageCount: Math.ceil(total / pageSize) } };
  },

  /**
   * Record a refusal. The refusal usually makes the surrounding transaction roll back, which would take an
   * ordinary audit row with it, so inside a transaction the row is written once the transaction has ended.
   */
  async recordRefusal(entry: AuditEntry) {
    if (!strapi.db.inTransaction()) return this.record(entry);
    // Whichever way the transaction ends, write once (Strapi may run both kinds of callback for nested use).
    let written = false;
    const write = () => {
      if (written) return;
      written = true;
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
