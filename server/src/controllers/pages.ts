// Serves the plugin's public pages and their two assets.
import type { Core } from '@strapi/strapi';
import { getConfig, getPluginService } from '../utils/plugin';
import { forgotPage, resetPage } from '../pages/html';
import { pagesCss, pagesJs } from '../pages/assets';
import type { Ctx } from '../utils/context';

const send = (ctx: Ctx, type: string, body: string) => {
  ctx.type = type;
  ctx.set('Cache-Control', 'no-store');
  ctx.body = body;
};

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  forgot(ctx: Ctx) {
    send(ctx, 'text/html; charset=utf-8', forgotPage(getConfig(strapi).siteName));
  },
  reset(ctx: Ctx) {
    const { siteName, passwordPolicy } = getConfig(strapi);
    send(ctx, 'text/html; charset=utf-8', resetPage(siteName, getPluginService(strapi, 'mailer').forgotLink(), passwordPolicy));
  },
  script(ctx: Ctx) {
    send(ctx, 'application/javascript; charset=utf-8', pagesJs);
  },
  styles(ctx: Ctx) {
    send(ctx, 'text/css; charset=utf-8', pagesCss);
  },
});
