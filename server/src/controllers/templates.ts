// Settings → Password reset emails (admin, "Manage settings"): thin — read the route and body, call the templates and
// mailer services, reply.
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { getPluginService } from '../utils/plugin';
import { actorFromContext } from '../utils/actor';
import { readBody } from './validate';
import { TestAddressChangedError } from '../services/mailer';
import type { Ctx } from '../utils/context';

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const templates = () => getPluginService(strapi, 'templates');
  const mailer = () => getPluginService(strapi, 'mailer');
  const named = (ctx: Ctx) => [String(ctx.params.locale), String(ctx.params.name)] as const;

  return {
    async catalog(ctx: Ctx) {
      ctx.body = templates().catalog();
    },

    async read(ctx: Ctx) {
      ctx.body = templates().entry(...named(ctx));
    },

    async save(ctx: Ctx) {
      ctx.body = await templates().save(...named(ctx), readBody(ctx.request.body), actorFromContext(ctx));
    },

    async reset(ctx: Ctx) {
      ctx.body = await templates().reset(...named(ctx), actorFromContext(ctx));
    },

    async preview(ctx: Ctx) {
      ctx.body = mailer().preview(...named(ctx), readBody(ctx.request.body));
    },

    /**
     * Sent to the signed-in administrator's own address, and only if it is the one the confirmation named (`to`):
     * 409 if the profile's address changed since, 429 with Retry-After past the limit.
     */
    async test(ctx: Ctx) {
      const body = readBody(ctx.request.body);
      const { to, ...template } = body;
      const current = (ctx.state.user as { email?: string } | undefined)?.email ?? null;
      try {
        ctx.body = await mailer().sendTest(...named(ctx), template, { named: to, current }, actorFromContext(ctx));
      } catch (error) {
        if (error instanceof errors.RateLimitError) {
          ctx.set('Retry-After', String((error.details as { retryAfterSeconds: number }).retryAfterSeconds));
        }
        if (!(error instanceof TestAddressChangedError)) throw error;
        ctx.status = 409;
        ctx.body = { data: null, error: { status: 409, name: 'ConflictError', message: error.message, details: error.details } };
      }
    },
  };
};
