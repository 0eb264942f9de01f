// Ending sessions when a password changes (ARCHITECTURE.md, invariant 8). users-permissions' legacy JWTs are
// stateless and live 30 days; its auth strategy looks the user up through `fetchAuthenticatedUser`, so that lookup
// is wrapped to refuse a token issued before the account's last password change. The moment of that change is a
// column of the account row itself (`passwordChangedAt`, written only by the user-model lifecycle), so the lookup
// users-permissions already makes on every authenticated request reads it: no query is added. JWT `iat` is in
// whole seconds, so every legacy token users-permissions issues also carries `iatMs`, the moment in milliseconds.
// In refresh mode access tokens are signed by Strapi's session manager, which takes no claim from us; each names
// its session, and the user-model lifecycle deletes every session of the account on a password change, so a
// token of the change's own second stands only if its session still exists (domain/sessions.ts).
import type { Core } from '@strapi/strapi';
import { PASSWORD_CHANGED_AT, USER_UID } from '../../utils/plugin';
import type { Ctx } from '../../utils/context';
import { tokenAgainstPasswordChange, type TokenIssue } from '../../domain/sessions';

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
 * (`iatMs`) for legacy tokens issued since the plugin was installed, to the second with the session for a
 * refresh-mode access token, else to the second (`iat`).
 */
function issueOfBearer(ctx: Ctx | undefined): TokenIssue | null {
  const authorization = ctx?.request?.header?.authorization;
  const [scheme, token] = typeof authorization === 'string' ? authorization.split(/\s+/) : [];
  if (scheme?.toLowerCase() !== 'bearer' || !token) return null;
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
    if (typeof payload[ISSUED_AT_MS] === 'number') return { kind: 'exact', ms: payload[ISSUED_AT_MS] };
    if (typeof payload.iat !== 'number') return null;
    if (payload.type === 'access' && typeof payload.sessionId === 'string') {
      return { kind: 'session', seconds: payload.iat, sessionId: payload.sessionId };
    }
    return { kind: 'seconds', seconds: payload.iat };
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
      const issue = issueOfBearer(strapi.requestContext.get() as Ctx | undefined);
      if (issue === null) return user;
      // The token users-permissions hands back from change-password is issued after the change is stored (and, in
      // refresh mode, from a session created after the old ones were deleted), so it is never refused.
      const verdict = tokenAgainstPasswordChange(issue, new Date(user[PASSWORD_CHANGED_AT]).getTime());
      if (verdict === 'ask-session' && issue.kind === 'session') {
        return (await strapi.sessionManager('users-permissions').isSessionActive(issue.sessionId)) ? user : null;
      }
      return verdict === 'valid' ? user : null;
    },
  }));
}
