// Public routes of the self-service flow: thin — validate, rate-limit, call the recovery service, reply.
import type { Core } from '@strapi/strapi';
import { getPluginService } from '../utils/plugin';
import { clientKey } from '../domain/client-address';
import { acceptLinkRequest, acceptReset, enforceLimits, selfServiceHandler } from './self-service';
import { readBody, readString } from './validate';

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  forgotPassword: selfServiceHandler(strapi, (ctx) => acceptLinkRequest(strapi, ctx)),

  check: selfServiceHandler(strapi, async (ctx) => {
    await enforceLimits(strapi, ctx, [['checkPerIp', clientKey(ctx.ip)]]);
    const token = readString(readBody(ctx.request.body), 'token', { maxLength: 128 });
    ctx.body = await getPluginService(strapi, 'recovery').checkToken(token);
  }),

  reset: selfServiceHandler(strapi, async (ctx) => {
    await acceptReset(strapi, ctx, 'token');
    ctx.body = { ok: true };
  }),
});
