// Admin-panel routes (admin JWT + RBAC, mounted at /password-reset): thin — validate, call a service, reply.
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { getPluginService } from '../utils/plugin';
import { actorFromContext } from '../utils/actor';
import type { Permissions } from '../services/administration';
import type { AuditFilters } from '../services/audit';
import type { JobReader } from '../services/jobs';
import {
  ACTOR_TYPES,
  AUDIT_ACTIONS,
  AUDIT_FILTERS,
  MAX_BULK_ACCOUNTS,
  permissionAction,
  type PermissionName,
} from '../../../shared/contracts';
import { readBody, readId, readIdList, readOptionalBoolean, readNullableDate, readPin, readString } from './validate';
import { answerSend, findJob, jobRoutes } from './jobs';
import { answerCsv } from './csv';
import type { Ctx } from '../utils/context';

/** The audit log's filters from the query string: each a single value, actions and actor types from the contract. */
function readAuditFilters(ctx: Ctx): AuditFilters {
  const filters: Record<string, unknown> = {};
  for (const name of AUDIT_FILTERS) {
    const value = ctx.query[name];
    if (value === undefined || value === '') continue;
    if (typeof value !== 'string' || value.length > 100) throw new errors.ValidationError(`"${name}" must be a single value.`);
    if (name === 'action' && !(AUDIT_ACTIONS as readonly string[]).includes(value)) {
      throw new errors.ValidationError(`"action" must be one of ${AUDIT_ACTIONS.join(', ')}.`);
    }
    if (name === 'actorType' && !(ACTOR_TYPES as readonly string[]).includes(value)) {
      throw new errors.ValidationError(`"actorType" must be one of ${ACTOR_TYPES.join(', ')}.`);
    }
    filters[name] =
      name === 'userId' ? readId(value, name) : name === 'from' || name === 'to' ? readNullableDate({ [name]: value }, name) : value;
  }
  return filters;
}

const can = (ctx: Ctx, name: PermissionName) => Boolean(ctx.state.userAbility?.can(permissionAction(name)));

const permissionsOf = (ctx: Ctx): Permissions => ({
  sendCode: can(ctx, 'sendCode'),
  setPassword: can(ctx, 'setPassword'),
  manageOwners: can(ctx, 'manageOwners'),
});

/** An administrator reads the jobs they started, or every job with "Read all jobs" (Super Admin holds it). */
const jobReaderOf = (ctx: Ctx): JobReader => ({
  actor: actorFromContext(ctx),
  permissions: permissionsOf(ctx),
  readAll: can(ctx, 'readAllJobs'),
});

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const administration = () => getPluginService(strapi, 'administration');
  const jobs = () => getPluginService(strapi, 'jobs');

  return {
    async sendCodes(ctx: Ctx) {
      const userIds = readIdList(readBody(ctx.request.body), 'userIds', MAX_BULK_ACCOUNTS);
      await answerSend(ctx, await administration().sendActivationCodes(userIds, actorFromContext(ctx), permissionsOf(ctx)));
    },

    async dryRun(ctx: Ctx) {
      const userIds = readIdList(readBody(ctx.request.body), 'userIds', MAX_BULK_ACCOUNTS);
      ctx.body = await jobs().dryRun(userIds, actorFromContext(ctx), permissionsOf(ctx));
    },

    ...jobRoutes(strapi, jobReaderOf),

    async retryJob(ctx: Ctx) {
      const userIds = await jobs().failedUserIds((await findJob(strapi, ctx, jobReaderOf(ctx))).id);
      if (userIds.length === 0) throw new errors.ValidationError('No account of this job failed.');
      await answerSend(ctx, await administration().sendActivationCodes(userIds, actorFromContext(ctx), permissionsOf(ctx)));
    },

    async setPassword(ctx: Ctx) {
      const userId = readId(ctx.params.id);
      const body = readBody(ctx.request.body);
      const password = readString(body, 'password', { maxLength: 1024 });
      const notify = readOptionalBoolean(body, 'notify') ?? false;
      const { notified } = await administration().setPasswordNow(userId, password, actorFromContext(ctx), permissionsOf(ctx), { notify });
      ctx.body = { ok: true, notified };
    },

    async status(ctx: Ctx) {
      const permissions = permissionsOf(ctx);
      if (!permissions.sendCode && !permissions.setPassword) {
        throw new errors.PolicyError('You need the "Send activation codes" or "Set a password now" permission.');
      }
      ctx.body = await administration().status(readId(ctx.params.id), actorFromContext(ctx), permissions);
    },

    async setExpiry(ctx: Ctx) {
      const expiresAt = readNullableDate(readBody(ctx.request.body), 'expiresAt');
      ctx.body = await administration().setExpiry(readId(ctx.params.id), expiresAt, actorFromContext(ctx), permissionsOf(ctx));
    },

    /** The password policy's verdict, for live feedback in the admin panel (the same rules the server applies). */
    async checkPolicy(ctx: Ctx) {
      const body = readBody(ctx.request.body);
      const password = readString(body, 'password', { maxLength: 1024 });
      const account = body.userId === undefined ? null : await getPluginService(strapi, 'accounts').findById(readId(body.userId, 'userId'));
      ctx.body = { failures: getPluginService(strapi, 'passwords').check(password, account ?? {}) };
    },

    /** Delivery health (read-audit): the outbox's state, with the addresses this administrator may see. */
    async health(ctx: Ctx) {
      ctx.body = await getPluginService(strapi, 'health').deliveryHealth(actorFromContext(ctx), permissionsOf(ctx));
    },

    async audit(ctx: Ctx) {
      const page = ctx.query.page === undefined ? 1 : readId(ctx.query.page, 'page');
      const pageSize = ctx.query.pageSize === undefined ? 25 : Math.min(readId(ctx.query.pageSize, 'pageSize'), 100);
      ctx.body = await getPluginService(strapi, 'audit').list(readAuditFilters(ctx), { page, pageSize });
    },

    /** The filtered log as a CSV download, streamed from the database page by page. */
    async auditCsv(ctx: Ctx) {
      const filters = readAuditFilters(ctx);
      const filename = `password-reset-audit-${new Date().toISOString().slice(0, 10)}.csv`;
      answerCsv(ctx, filename, getPluginService(strapi, 'audit').csv(filters));
    },

    async verifyPin(ctx: Ctx) {
      const userId = readId(ctx.params.id);
      const pin = readPin(readBody(ctx.request.body));
      try {
        ctx.body = await getPluginService(strapi, 'pins').verifyPin(userId, pin, actorFromContext(ctx));
      } catch (error) {
        if (error instanceof errors.RateLimitError)
          ctx.set('Retry-After', String((error.details as { retryAfterSeconds: number }).retryAfterSeconds));
        throw error;
      }
    },
  };
};
