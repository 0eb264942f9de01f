// Public routes of the self-service flow: thin — validate, rate-limit, call the recovery service, reply.
import type { Core } from '@strapi/strapi';
import { getPluginService } from '../utils/plugin';
import type { Ctx } from '../utils/context';
import { clientKey } from '../domain/client-address';
import { acceptLinkRequest, acceptReset, enforceLimits } from './self-service';
import { readBody, readString } from './validate';

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async forgotPassword(ctx: Ctx) {
    await acceptLinkRequest(strapi, ctx);
  },

  async check(ctx: Ctx) {
    await enforceLimits(strapi, ctx, [['checkPerIp', clientKey(ctx.ip)]]);
    const token = readString(readBody(ctx.request.body), 'token', { maxLength: 128 });
    ctx.body = await getPluginService(strapi, 'recovery').checkToken(token);
  },

  async reset(ctx: Ctx) {
    await acceptReset(strapi, ctx, 'token');
    ctx.body = { ok: true };
  },
});
