// Accounts created in the Content Manager without a password (with `sendActivationOnCreate`).
import { randomBytes } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import type { Ctx } from '../../utils/context';
import { runAuthorized } from '../../utils/write-scope';
import { getConfig } from '../../utils/plugin';

/**
 * users-permissions' Content Manager controller insists on a password when an account is created. With
 * `sendActivationOnCreate`, an account created without one gets a random password no one knows instead,
 * and the user-model lifecycle (lifecycles/user-guard.ts) sends it an activation code: no one ever shares a password.
 */
export function createAccountsWithoutPassword(strapi: Core.Strapi) {
  type Controller = { create(ctx: Ctx): Promise<unknown> };
  strapi.get('controllers').extend('plugin::users-permissions.contentmanageruser', (controller: Controller) => ({
    ...controller,
    async create(ctx: Ctx) {
      const body = ctx.request.body as Record<string, unknown> | undefined;
      const hasPassword = typeof body?.password === 'string' && body.password !== '';
      if (!getConfig(strapi).sendActivationOnCreate || !body || typeof body !== 'object' || hasPassword) return controller.create(ctx);
      ctx.request.body = { ...body, password: randomBytes(32).toString('base64url') };
      return runAuthorized({ via: 'activation-on-create' }, () => controller.create(ctx));
    },
  }));
}
