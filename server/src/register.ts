// Runs before the database is up: wiring into users-permissions and the Document Service that must exist
// before routes are built.
import type { Core } from '@strapi/strapi';
import { getConfig } from './utils/plugin';
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

export default ({ strapi }: { strapi: Core.Strapi }) => {
  takeOverUsersPermissionsRoutes(strapi);
  refuseTokensIssuedBeforePasswordChange(strapi);
  enforcePasswordPolicy(strapi);
};
