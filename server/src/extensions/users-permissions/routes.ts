// Serving users-permissions' `POST /api/auth/forgot-password` and `POST /api/auth/reset-password` (REST and the
// GraphQL mutations that call the same controller) with this plugin's codes and rules.
import type { Core } from '@strapi/strapi';
import { getConfig } from '../../utils/plugin';
import authController from './auth-controller';

export function takeOverUsersPermissionsRoutes(strapi: Core.Strapi) {
  if (!getConfig(strapi).takeOverUsersPermissionsRoutes) return;
  const ours = authController({ strapi });
  strapi.get('controllers').extend('plugin::users-permissions.auth', (auth: object) => ({
    ...auth,
    forgotPassword: ours.forgotPassword,
    resetPassword: ours.resetPassword,
  }));
}
