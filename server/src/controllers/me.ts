// Routes for a signed-in account holder (users-permissions JWT): an owner sets or changes their support PIN.
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { getPluginService, USER_UID } from '../utils/plugin';
import { actorFromContext } from '../utils/actor';
import { readBody, readPin, readString } from './validate';
import { enforceLimits } from './self-service';
import type { Ctx } from '../utils/context';
import { clientKey } from '../domain/client-address';

interface UsersPermissionsServices {
  jwt: { getToken(ctx: unknown): Promise<{ id?: number } | null> };
  user: {
    fetchAuthenticatedUser(id: number): Promise<{ id: number } | null>;
    validatePassword(password: string, hash: string): Promise<boolean>;
  };
}

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const up = <Name extends keyof UsersPermissionsServices>(name: Name) =>
    strapi.plugin('users-permissions').service(name) as unknown as UsersPermissionsServices[Name];

  /** The account behind the request's users-permissions JWT (refused if issued before its password changed). */
  async function signedInAccount(ctx: Ctx) {
    let token: { id?: number } | null = null;
    try {
      token = await up('jwt').getToken(ctx);
    } catch {
      // An invalid or expired token is the same as none.
    }
    const user = token?.id ? await up('user').fetchAuthenticatedUser(token.id) : null;
    if (!user) throw new errors.UnauthorizedError('Sign in to change your support PIN.');
    return user;
  }

  return {
    async setPin(ctx: Ctx) {
      // It checks the current password: limited like resets, so a stolen JWT cannot be used to guess it.
      await enforceLimits(strapi, ctx, [['resetPerIp', clientKey(ctx.ip)]]);
      const { id } = await signedInAccount(ctx);
      const body = readBody(ctx.request.body);
      const currentPassword = readString(body, 'currentPassword', { maxLength: 1024 });
      const pin = readPin(body);
      const account = await getPluginService(strapi, 'accounts').findById(id);
      if (!account || getPluginService(strapi, 'accounts').roleKind(account) !== 'owner') {
        throw new errors.PolicyError('Only owner accounts have a support PIN.');
      }
      const stored = await strapi.db.query(USER_UID).findOne({ select: ['password'], where: { id } });
      if (!stored?.password || !(await up('user').validatePassword(currentPassword, stored.password))) {
        throw new errors.ValidationError('The current password is not correct.');
      }
      await getPluginService(strapi, 'pins').setPin(id, pin, { ...actorFromContext(ctx), type: 'user', id: String(id) });
      ctx.body = { ok: true };
    },
  };
};
