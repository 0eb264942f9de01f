// Replacements for users-permissions' own `POST /api/auth/forgot-password` and `POST /api/auth/reset-password`,
// installed by register.ts unless `takeOverUsersPermissionsRoutes` is false. Same request and response shapes
// as users-permissions, so existing front-ends keep working, with this plugin's codes and rules underneath.
import type { Core } from '@strapi/strapi';
import { getPluginService, USER_UID } from '../utils/plugin';
import { actorFromContext } from '../utils/actor';
import { normalizeEmail } from '../services/accounts';
import { readBody, readEmail } from './validate';
import { enforceLimits, readNewPassword } from './public';
import type { Ctx } from '../utils/context';

interface AdvancedSettings {
  email_reset_password?: string | null;
}

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async forgotPassword(ctx: Ctx) {
    await enforceLimits(strapi, ctx, [['forgotPerIp', ctx.ip]]);
    const email = readEmail(readBody(ctx.request.body));
    await enforceLimits(strapi, ctx, [['forgotPerEmail', normalizeEmail(email)]]);
    // Front-ends built for users-permissions read `?code=` on the page set in its advanced settings;
    // that page is the front-end's, not this server's, so the token stays out of Strapi's logs.
    const advanced = (await strapi
      .store({ type: 'plugin', name: 'users-permissions' })
      .get({ key: 'advanced' })) as AdvancedSettings | null;
    const legacyPage = advanced?.email_reset_password || null;
    getPluginService(strapi, 'recovery').requestReset(email, actorFromContext(ctx), legacyPage ? { legacyPage } : {});
    ctx.body = { ok: true };
  },

  async resetPassword(ctx: Ctx) {
    await enforceLimits(strapi, ctx, [['resetPerIp', ctx.ip]]);
    const { token, password } = readNewPassword(readBody(ctx.request.body), 'code');
    const account = await getPluginService(strapi, 'recovery').resetWithCode(token, password, actorFromContext(ctx));

    // users-permissions answers a reset with a login; keep that shape for its front-ends.
    const user = await strapi.db.query(USER_UID).findOne({ where: { id: account.id }, populate: ['role'] });
    const sanitized = await strapi.contentAPI.sanitize.output(user, strapi.getModel(USER_UID), { auth: ctx.state.auth });
    const mode: string = strapi.config.get('plugin::users-permissions.jwtManagement', 'legacy-support');
    if (mode === 'refresh') {
      const sessions = strapi.sessionManager('users-permissions');
      const refresh = await sessions.generateRefreshToken(String(account.id), undefined, { type: 'refresh' });
      const access = await sessions.generateAccessToken(refresh.token);
      ctx.body = { jwt: 'token' in access ? access.token : undefined, refreshToken: refresh.token, user: sanitized };
      return;
    }
    const jwt = strapi.plugin('users-permissions').service('jwt').issue({ id: account.id });
    ctx.body = { jwt, user: sanitized };
  },
});
