// Everything this plugin changes in users-permissions, registered before its routes are built.
import type { Core } from '@strapi/strapi';
import { takeOverUsersPermissionsRoutes } from './routes';
import { createAccountsWithoutPassword } from './accounts-without-password';
import { indexAccountsByEmail } from './email-index';
import { refuseTokensIssuedBeforePasswordChange } from './sessions';
import { checkGraphqlUserIds } from './graphql';
import { statePolicyInContentManager } from './password-hint';
import { refuseUnstorableValues } from './storable-values';

export function extendUsersPermissions(strapi: Core.Strapi) {
  indexAccountsByEmail(strapi);
  takeOverUsersPermissionsRoutes(strapi);
  createAccountsWithoutPassword(strapi);
  refuseTokensIssuedBeforePasswordChange(strapi);
  checkGraphqlUserIds(strapi);
  statePolicyInContentManager(strapi);
  refuseUnstorableValues(strapi);
}
