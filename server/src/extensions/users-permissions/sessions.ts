// Ending sessions when a password changes. users-permissions' legacy JWTs are stateless and live 30 days;
// its auth strategy looks the user up through `fetchAuthenticatedUser`, so that lookup is wrapped to refuse
// a token issued before the account's last password change. The moment of that change is a column of the
// account row itself (`passwordChangedAt`, written only by the user-model lifecycle), so the lookup
// users-permissions already makes on every authenticated request reads it: no query is added. JWT `iat` is in whole seconds, so every token
// users-permissions issues also carries `iatMs`, the moment in milliseconds: a token issued in the same second
// as the change, but before it, is refused too. Refresh-mode sessions are revoked by the user-model lifecycle.
import type { Core } from '@strapi/strapi';
import { PASSWORD_CHANGED_AT, USER_UID } from '../../utils/plugin';
import type { Ctx } from '../../utils/context';

interface UserService {
  fetchAuthenticatedUser(id: unknown): Promise<{ id: number; [PASSWORD_CHANGED_AT]?: string | Date | null } | null>;
}

/**
 * Add the moment of the last password change to users-permissions' user model: private (never in an API's
 * answer), not shown or editable in the Content Manager, not writable through an API; the user-model
 * lifecycle is its only writer. Strapi adds the column at boot.
 */
function addPasswordChangedAt(strapi: Core.Strapi) {
  const users = strapi.contentType(USER_UID) as unknown as { attributes: Record<string, unknown> };
  users.attributes[PASSWORD_CHANGED_AT] = { type: 'datetime', private: true, configurable: false, visible: false, writable: false };
}

/** The claim, in milliseconds, that this plugin adds to every token users-permissions issues. */
const ISSUED_AT_MS = 'iatMs';

/**
 * When the bearer token of the current request was issued, read after users-permissions verified it: exactly
 * (`iatMs`) for tokens issued since the plugin was installed, else to the second (`iat`).
 */
function issuedAtOfBearer(ctx: Ctx | undefined): { ms: number; exact: boolean } | null {
  const authorization = ctx?.request?.header?.authorization;
  const [scheme, token] = typeof authorization === 'string' ? authorization.split(/\s+/) : [];
  if (scheme?.toLowerCase() !== 'bearer' || !token) return null;
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
    if (typeof payload[ISSUED_AT_MS] === 'number') return { ms: payload[ISSUED_AT_MS], exact: true };
    return typeof payload.iat === 'number' ? { ms: payload.iat * 1000, exact: false } : null;
  } catch {
    return null;
  }
}

interface JwtService {
  issue(payload: Record<string, unknown> & { toJSON?: () => Record<string, unknown> }, options?: object): unknown;
}

export function refuseTokensIssuedBeforePasswordChange(strapi: Core.Strapi) {
  addPasswordChangedAt(strapi);
  strapi.get('services').extend('plugin::users-permissions.jwt', (service: JwtService) => ({
    ...service,
    issue(payload: Parameters<JwtService['issue']>[0], options?: object) {
      const claims = typeof payload.toJSON === 'function' ? payload.toJSON() : payload;
      return service.issue({ ...claims, [ISSUED_AT_MS]: Date.now() }, options);
    },
  }));

  strapi.get('services').extend('plugin::users-permissions.user', (service: UserService) => ({
    ...service,
    async fetchAuthenticatedUser(id: unknown) {
      const user = await service.fetchAuthenticatedUser(id);
      // An account whose password never changed (most of them) costs no more than the lookup itself.
      if (!user?.[PASSWORD_CHANGED_AT]) return user;
      const issuedAt = issuedAtOfBearer(strapi.requestContext.get() as Ctx | undefined);
      if (issuedAt === null) return user;
      const changedAt = new Date(user[PASSWORD_CHANGED_AT]).getTime();
      // A token without `iatMs` (issued before the plugin) is compared to the second: one issued in the second
      // of the change stays valid. The token users-permissions hands back from change-password is issued after
      // the change is stored, so it is never refused.
      return issuedAt.ms < (issuedAt.exact ? changedAt : Math.floor(changedAt / 1000) * 1000) ? null : user;
    },
  }));
}
