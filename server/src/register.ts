// Runs before the database is up: wiring into users-permissions and the Document Service that must exist
// before routes are built.
import { randomBytes } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import type { Ctx } from './utils/context';
import { runAuthorized } from './utils/write-scope';
import { getConfig, PLUGIN_ID, USER_UID } from './utils/plugin';
import { refuseTokensIssuedBeforePasswordChange } from './sessions';
import { enforcePasswordPolicy } from './password-policy-middleware';
import usersPermissionsController from './controllers/users-permissions';

function takeOverUsersPermissionsRoutes(strapi: Core.Strapi) {
  if (!getConfig(strapi).takeOverUsersPermissionsRoutes) return;
  const ours = usersPermissionsController({ strapi });
  strapi.get('controllers').extend('plugin::users-permissions.auth', (auth: object) => ({
    ...auth,
    forgotPassword: ours.forgotPassword,
    resetPassword: ours.resetPassword,
  }));
}

/**
 * users-permissions' Content Manager controller insists on a password when an account is created. With
 * `sendActivationOnCreate`, an account created without one gets a random password no one knows instead,
 * and the user-model lifecycle sends it an activation code: no one ever shares a password.
 */
function createAccountsWithoutPassword(strapi: Core.Strapi) {
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

/**
 * Every link request looks an address up; without an index that is a scan of the whole users table, which
 * on SQLite blocks the event loop for every request (10 ms at 100,000 accounts). Declared on the content type
 * so that Strapi's own schema sync creates and keeps it.
 */
function indexAccountsByEmail(strapi: Core.Strapi) {
  const users = strapi.contentType(USER_UID) as unknown as { collectionName: string; indexes?: Array<{ name: string; columns: string[] }> };
  const name = `${users.collectionName}_email_lookup_idx`;
  if (!users.indexes?.some((index) => index.name === name)) users.indexes = [...(users.indexes ?? []), { name, columns: ['email'] }];
}

/**
 * GraphQL generates queries, mutations and types for every content type, a plugin's hidden ones included; a
 * full-access API token could then mint a code or read the audit log. None of this plugin's tables is ever
 * reachable through a generated API (ARCHITECTURE.md, invariant 6).
 */
function keepTablesOutOfGeneratedApis(strapi: Core.Strapi) {
  const graphql = strapi.plugin('graphql');
  if (!graphql) return;
  const extension = graphql.service('extension') as { shadowCRUD(uid: string): { disable(): void } };
  for (const name of Object.keys(strapi.plugin(PLUGIN_ID).contentTypes)) extension.shadowCRUD(`plugin::${PLUGIN_ID}.${name}`).disable();
}

export default ({ strapi }: { strapi: Core.Strapi }) => {
  keepTablesOutOfGeneratedApis(strapi);
  indexAccountsByEmail(strapi);
  takeOverUsersPermissionsRoutes(strapi);
  createAccountsWithoutPassword(strapi);
  refuseTokensIssuedBeforePasswordChange(strapi);
  enforcePasswordPolicy(strapi);
};
