// The user-model guard (DESIGN.md invariants 1 and 3), as database lifecycles on users-permissions users.
// They see every path that writes a password — this plugin, the Content Manager, users-permissions' routes,
// direct service calls — so the rules about privileged and owner accounts hold on all of them, and when a
// password does change, every code of the account dies and the moment is recorded, which ends JWTs issued
// before it (see sessions.ts).
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { getConfig, getPluginService, USER_UID } from '../utils/plugin';
import { actorFromContext, currentActor, type Actor } from '../utils/actor';
import { currentAuthorization } from '../utils/write-scope';
import type { Ctx } from '../utils/context';
import type { RoleKind } from '../services/accounts';
import { ADMIN_SET_PASSWORD_OFF } from '../services/administration';

interface UserEvent {
  params: { data?: Record<string, unknown>; where?: { id?: unknown } };
  result?: { id?: number } | null;
}

const hasPasswordWrite = (event: UserEvent) => ![undefined, null, ''].includes(event.params.data?.password as string);

/**
 * Why this actor may not change the password (or the role) of an account of this kind, or null when it may.
 * Role changes count too: otherwise an owner could be demoted, reset, and promoted back.
 */
export function whyRefused(
  kind: RoleKind,
  actor: Actor,
  targetUserId: number,
  {
    mayManageOwners,
    allowAdminSetPassword,
    change,
  }: { mayManageOwners: boolean; allowAdminSetPassword: boolean; change: 'password' | 'role' },
): string | null {
  // The account holder changing their own password (users-permissions' change-password) is always allowed.
  if (change === 'password' && actor.type === 'user' && actor.id === String(targetUserId)) return null;
  if (change === 'password' && !allowAdminSetPassword && (actor.type === 'admin' || actor.type === 'api-token'))
    return ADMIN_SET_PASSWORD_OFF;
  if (kind === 'regular') return null;
  const its = change === 'password' ? 'its password' : 'its role';
  if (actor.type === 'admin') {
    return kind === 'owner' && !mayManageOwners
      ? `This account has the owner role: only an administrator allowed to manage owner accounts can change ${its}.`
      : null;
  }
  return kind === 'owner'
    ? `This account has the owner role: ${its} can only be changed in the admin panel, by an administrator allowed to manage owner accounts.`
    : `This account has administrator access: ${its} can only be changed in the admin panel.`;
}

export function subscribeUserGuard(strapi: Core.Strapi) {
  const accounts = () => getPluginService(strapi, 'accounts');

  return strapi.db.lifecycles.subscribe({
    models: [USER_UID],

    async beforeUpdate(event: UserEvent) {
      const change = hasPasswordWrite(event) ? 'password' : event.params.data?.role !== undefined ? 'role' : null;
      if (!change || currentAuthorization()) return;
      const ctx = strapi.requestContext.get() as Ctx | undefined;
      // Code running outside any request (seed scripts, migrations, the console) is the site's own and trusted.
      if (!ctx) return;
      const userId = Number(event.params.where?.id);
      const account = Number.isInteger(userId) ? await accounts().findById(userId) : null;
      if (!account) return;
      const actor = actorFromContext(ctx);
      const reason = whyRefused(accounts().roleKind(account), actor, userId, {
        mayManageOwners: Boolean(ctx.state?.userAbility?.can('plugin::password-reset.manage-owners')),
        allowAdminSetPassword: getConfig(strapi).allowAdminSetPassword,
        change,
      });
      if (!reason) return;
      await getPluginService(strapi, 'audit').recordRefusal({
        action: 'restriction.refused',
        actor,
        targetUserId: userId,
        details: { reason, attempted: change },
      });
      // A PolicyError (a ForbiddenError) keeps its message: Strapi hides the text of other ForbiddenErrors.
      throw new errors.PolicyError(reason, { reason: 'restricted-account' });
    },

    // An administrator creating an account in the Content Manager: with allowAdminSetPassword off it may not
    // carry a password; with sendActivationOnCreate on, one created without a password (see register.ts) gets
    // an activation code at once.
    async beforeCreate(event: UserEvent) {
      if (!hasPasswordWrite(event) || currentAuthorization() || getConfig(strapi).allowAdminSetPassword) return;
      const actor = currentActor(strapi);
      if (actor.type !== 'admin' && actor.type !== 'api-token') return;
      await getPluginService(strapi, 'audit').recordRefusal({
        action: 'restriction.refused',
        actor,
        details: { reason: ADMIN_SET_PASSWORD_OFF },
      });
      throw new errors.PolicyError(ADMIN_SET_PASSWORD_OFF, { reason: 'admin-set-password-off' });
    },

    async afterCreate(event: UserEvent & { result?: { id?: number; email?: string | null; username?: string | null } | null }) {
      const { result } = event;
      if (currentAuthorization()?.via !== 'activation-on-create' || !result?.id || !result.email) return;
      const actor = currentActor(strapi);
      const account = { id: result.id, email: result.email, username: result.username ?? null };
      // Once the account is committed (a rolled-back create must not send anything), and off the request path.
      const send = () => getPluginService(strapi, 'recovery').sendCodeLater(account, 'activation', actor);
      if (strapi.db.inTransaction()) {
        await strapi.db.transaction(async ({ onCommit }) => onCommit(send));
      } else {
        send();
      }
    },

    async afterUpdate(event: UserEvent) {
      if (!hasPasswordWrite(event)) return;
      const userId = Number(event.result?.id ?? event.params.where?.id);
      if (!Number.isInteger(userId)) return;
      const actor = currentActor(strapi);
      await accounts().updateState(userId, { passwordChangedAt: new Date().toISOString() });
      await getPluginService(strapi, 'codes').revokeCodes(userId, 'password-changed', actor);
      // This plugin audits its own writes (password.reset, password.set); every other path is recorded here.
      if (!currentAuthorization())
        await getPluginService(strapi, 'audit').record({ action: 'password.changed', actor, targetUserId: userId });
      // Refresh-token sessions (users-permissions' `refresh` mode) end here; legacy JWTs are refused by sessions.ts.
      await strapi.sessionManager?.('users-permissions').invalidateRefreshToken(String(userId));
    },
  } as never);
}
