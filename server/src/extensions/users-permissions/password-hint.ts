// The Content Manager's hint under an account's password field, and its form check, come from the password
// attribute's `minLength`, which users-permissions sets to 6. They state the plugin's policy instead
// (ARCHITECTURE.md, invariant 4); the rest of the policy is checked by the middleware, with its messages.
import type { Core } from '@strapi/strapi';
import { USER_UID, getConfig } from '../../utils/plugin';

export function statePolicyInContentManager(strapi: Core.Strapi) {
  const password = strapi.contentType(USER_UID).attributes.password as { minLength?: number };
  password.minLength = getConfig(strapi).passwordPolicy.minLength;
}
