// Ending sessions when a password changes. users-permissions' legacy JWTs are stateless and live 30 days;
// its auth strategy looks the user up through `fetchAuthenticatedUser`, so that lookup is wrapped to refuse
// a token issued before the account's last password change. Refresh-mode sessions are revoked by the
// user-model lifecycle.
import type { Core } from '@strapi/strapi';
import { getPluginService } from './utils/plugin';
import type { Ctx } from './utils/context';

interface UserService {
  fetchAuthenticatedUser(id: unknown): Promise<{ id: number } | null>;
}

/** The `iat` (seconds) of the bearer token of the current request, read after users-permissions verified it. */
function issuedAtOfBearer(ctx: Ctx | undefined): number | null {
  const authorization = ctx?.request?.header?.authorization;
  const [scheme, token] = typeof authorization === 'string' ? authorization.split(/\s+/) : [];
  if (scheme?.toLowerCase() !== 'bearer' || !token) return null;
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { iat?: unknown };
    return typeof payload.iat === 'number' ? payload.iat : null;
  } catch {
    return null;
  }
}

export function refuseTokensIssuedBeforePasswordChange(strapi: Core.Strapi) {
  strapi.get('services').extend('plugin::users-permissions.user', (service: UserService) => ({
    ...service,
    async fetchAuthenticatedUser(id: unknown) {
      const user = await service.fetchAuthenticatedUser(id);
      const issuedAt = issuedAtOfBearer(strapi.requestContext.get() as Ctx | undefined);
      if (!user || issuedAt === null) return user;
      const state = await getPluginService(strapi, 'accounts').getState(user.id);
      // JWT times are whole seconds: a token issued in the second of the change (e.g. the one
      // users-permissions hands back from change-password) stays valid.
      const changedAt = state?.passwordChangedAt ? Math.floor(new Date(state.passwordChangedAt).getTime() / 1000) : null;
      return changedAt !== null && issuedAt < changedAt ? null : user;
    },
  }));
}
