// Settings → Password reset emails (admin, "Manage settings"): thin — read the route and body, call the templates and
// mailer services, reply.
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { getPluginService } from '../utils/plugin';
import { actorFromContext } from '../utils/actor';
import { readBody } from './validate';
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

    /** Sent to the signed-in administrator's own address, never to one the request names. */
    async test(ctx: Ctx) {
      const to = (ctx.state.user as { email?: string } | undefined)?.email;
      if (!to) throw new errors.ValidationError('Your administrator account has no email address to send the test to.');
      ctx.body = await mailer().sendTest(...named(ctx), readBody(ctx.request.body), to, actorFromContext(ctx));
    },
  };
};
