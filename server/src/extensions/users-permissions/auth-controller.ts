// Replacements for users-permissions' own `POST /api/auth/forgot-password` and `POST /api/auth/reset-password`,
// installed by register.ts unless `takeOverUsersPermissionsRoutes` is false. Same request and response shapes
// as users-permissions, so existing front-ends keep working, with this plugin's codes and rules underneath.
import type { Core } from '@strapi/strapi';
import { USER_UID } from '../../utils/plugin';
import { acceptLinkRequest, acceptReset, selfServiceHandler } from '../../controllers/self-service';
import type { Ctx } from '../../utils/context';

interface AdvancedSettings {
  email_reset_password?: string | null;
}

const handlers = (strapi: Core.Strapi) => ({
  async forgotPassword(ctx: Ctx) {
    // Front-ends built for users-permissions read `?code=` on the page set in its advanced settings
    // (mailer.resetLink uses it only when that page is not on this server, whose log would record it).
    const advanced = (await strapi
      .store({ type: 'plugin', name: 'users-permissions' })
      .get({ key: 'advanced' })) as AdvancedSettings | null;
    const legacyPage = advanced?.email_reset_password || null;
    await acceptLinkRequest(strapi, ctx, legacyPage ? { legacyPage } : {});
  },

  async resetPassword(ctx: Ctx) {
    const account = await acceptReset(strapi, ctx, 'code');

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

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const { forgotPassword, resetPassword } = handlers(strapi);
  return { forgotPassword: selfServiceHandler(strapi, forgotPassword), resetPassword: selfServiceHandler(strapi, resetPassword) };
};
