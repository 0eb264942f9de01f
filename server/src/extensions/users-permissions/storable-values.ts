// users-permissions' user and auth actions (REST, and the GraphQL mutations that call the same controllers) and
// its Content Manager controller for users look accounts up by, and store, the values they are sent. A value the
// database cannot take fails there, a 500: on PostgreSQL a NUL character in a username, on PostgreSQL and MySQL an
// address longer than its column. Every action of these controllers refuses such a body with a 400 first
// (ARCHITECTURE.md, invariant 5).
import type { Core } from '@strapi/strapi';
import { assertStorableUserData } from '../../controllers/validate';

type Controller = Record<string, unknown>;
interface Ctx {
  request?: { body?: unknown };
}

const CONTROLLERS = ['plugin::users-permissions.user', 'plugin::users-permissions.auth', 'plugin::users-permissions.contentmanageruser'];

export function refuseUnstorableValues(strapi: Core.Strapi) {
  for (const uid of CONTROLLERS) {
    strapi.get('controllers').extend(uid, (controller: Controller) =>
      Object.fromEntries(
        Object.entries(controller).map(([name, action]) => [
          name,
          typeof action === 'function'
            ? async (ctx: Ctx, ...rest: unknown[]) => {
                assertStorableUserData(ctx?.request?.body);
                return action.call(controller, ctx, ...rest);
              }
            : action,
        ]),
      ),
    );
  }
}
