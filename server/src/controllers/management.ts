// Management API (content API, API tokens only): integrators send codes, set passwords and expiry dates.
// Same services and rules as the admin routes; an API token never manages owner or privileged accounts.
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { getPluginService } from '../utils/plugin';
import { actorFromContext } from '../utils/actor';
import type { Permissions } from '../services/administration';
import { describeReason, MAX_BULK_ACCOUNTS, type Reason } from '../../../shared/contracts';
import { readBody, readId, readIdList, readNullableDate, readString } from './validate';
import { answerSend, jobRoutes } from './jobs';
import type { Ctx } from '../utils/context';

/** A token that reached these routes was granted them; owners stay out of its reach (domain/restrictions.ts). */
const TOKEN_PERMISSIONS: Permissions = { sendCode: true, setPassword: true, manageOwners: false };

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const administration = () => getPluginService(strapi, 'administration');

  return {
    /** Delivery health for monitoring; no owner's or privileged account's address (TOKEN_PERMISSIONS). */
    async health(ctx: Ctx) {
      ctx.body = await getPluginService(strapi, 'health').deliveryHealth(actorFromContext(ctx), TOKEN_PERMISSIONS);
    },

    async sendCode(ctx: Ctx) {
      const userId = readId(ctx.params.id);
      const outcome = await administration().sendActivationCodes([userId], actorFromContext(ctx), TOKEN_PERMISSIONS);
      const [result] = 'results' in outcome ? outcome.results : [];
      if (result.status === 'skipped') {
        const reason = result.reason as Reason;
        const message = describeReason(reason);
        if (reason === 'unknown-account') throw new errors.NotFoundError(message);
        if (reason === 'blocked' || reason === 'no-email') throw new errors.ValidationError(message, { reason });
        throw new errors.PolicyError(message, { reason });
      }
      if (result.status === 'failed' || result.status === 'queued') {
        // Not the caller's fault: 503 when the database failed (nothing was stored), 502 when the mail server refused.
        const database = result.failure === 'database';
        const status = database ? 503 : 502;
        const message = database ? result.reason : `The email could not be sent: ${result.reason}`;
        ctx.status = status;
        // `retrying`: the failure looked temporary, and the outbox will try again (with a new code).
        const details = { retrying: result.status === 'queued' };
        ctx.body = { data: null, error: { status, name: database ? 'DatabaseError' : 'EmailError', message, details } };
        return;
      }
      ctx.body = result;
    },

    async sendCodes(ctx: Ctx) {
      const userIds = readIdList(readBody(ctx.request.body), 'userIds', MAX_BULK_ACCOUNTS);
      answerSend(ctx, await administration().sendActivationCodes(userIds, actorFromContext(ctx), TOKEN_PERMISSIONS));
    },

    async dryRun(ctx: Ctx) {
      const userIds = readIdList(readBody(ctx.request.body), 'userIds', MAX_BULK_ACCOUNTS);
      ctx.body = await getPluginService(strapi, 'jobs').dryRun(userIds, actorFromContext(ctx), TOKEN_PERMISSIONS);
    },

    // A token reads the jobs it started, never another token's or an administrator's.
    ...jobRoutes(strapi, (ctx) => ({ actor: actorFromContext(ctx), permissions: TOKEN_PERMISSIONS, readAll: false })),

    async setPassword(ctx: Ctx) {
      const password = readString(readBody(ctx.request.body), 'password', { maxLength: 1024 });
      await administration().setPasswordNow(readId(ctx.params.id), password, actorFromContext(ctx), TOKEN_PERMISSIONS);
      ctx.body = { ok: true };
    },

    async setExpiry(ctx: Ctx) {
      const expiresAt = readNullableDate(readBody(ctx.request.body), 'expiresAt');
      const status = await administration().setExpiry(readId(ctx.params.id), expiresAt, actorFromContext(ctx), TOKEN_PERMISSIONS);
      ctx.body = { userId: status.userId, expiresAt: status.expiresAt, expired: status.expired };
    },
  };
};
