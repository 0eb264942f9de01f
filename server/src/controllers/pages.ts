// Serves the plugin's public pages and their two assets.
import type { Core } from '@strapi/strapi';
import { getConfig, getPluginService } from '../utils/plugin';
import { forgotPage, resetPage } from '../pages/html';
import { pagesCss, pagesJs } from '../pages/assets';
import type { Ctx } from '../utils/context';
import { LOCALES, LOCALE_CODES } from '../locales';
import { localeOfRequest } from '../domain/locale';

const send = (ctx: Ctx, type: string, body: string) => {
  ctx.type = type;
  ctx.set('Cache-Control', 'no-store');
  ctx.body = body;
};

/** The page's language: what the browser asks for (Accept-Language), else the site's default. */
const wordsFor = (strapi: Core.Strapi, ctx: Ctx) => {
  const lang =
    localeOfRequest(ctx.request.header?.['accept-language'] as string | undefined, LOCALE_CODES) ?? getConfig(strapi).locale.default;
  return { lang, text: LOCALES[lang].pages };
};

const sendPage = (ctx: Ctx, body: string) => {
  ctx.set('Vary', 'Accept-Language');
  send(ctx, 'text/html; charset=utf-8', body);
};

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  forgot(ctx: Ctx) {
    sendPage(ctx, forgotPage(getConfig(strapi).siteName, wordsFor(strapi, ctx)));
  },
  reset(ctx: Ctx) {
    const { siteName, passwordPolicy, loginUrl } = getConfig(strapi);
    sendPage(ctx, resetPage(siteName, getPluginService(strapi, 'mailer').forgotLink(), passwordPolicy, wordsFor(strapi, ctx), loginUrl));
  },
  script(ctx: Ctx) {
    send(ctx, 'application/javascript; charset=utf-8', pagesJs);
  },
  styles(ctx: Ctx) {
    send(ctx, 'text/css; charset=utf-8', pagesCss);
  },
});
