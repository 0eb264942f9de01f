// Settings → Password reset (admin, "Manage settings"): thin — read the body, call the settings service, reply.
import type { Core } from '@strapi/strapi';
import { getPluginService } from '../utils/plugin';
import { actorFromContext } from '../utils/actor';
import { readBody } from './validate';
import type { Ctx } from '../utils/context';

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async read(ctx: Ctx) {
    ctx.body = getPluginService(strapi, 'settings').read();
  },

  async update(ctx: Ctx) {
    ctx.body = await getPluginService(strapi, 'settings').update(readBody(ctx.request.body), actorFromContext(ctx));
  },
});
