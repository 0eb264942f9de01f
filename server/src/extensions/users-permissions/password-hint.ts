// The Content Manager's hint under an account's password field, and its form check, come from the password
// attribute's `minLength`, which users-permissions sets to 6. They state the plugin's policy instead
// (ARCHITECTURE.md, invariant 4); the rest of the policy is checked by the middleware, with its messages.
// Strapi's own validator reads the same `minLength` on every Document Service write, so it is read when used: the
// length in force (a Settings save changes it at once), but users-permissions' own for a write of the site's
// trusted code outside any request (`runAsSiteCode`, README "Security", Limits).
import type { Core } from '@strapi/strapi';
import { USER_UID, getConfig } from '../../utils/plugin';
import { isSiteCodeWrite } from '../../utils/write-scope';

export function statePolicyInContentManager(strapi: Core.Strapi) {
  const password = strapi.contentType(USER_UID).attributes.password as { minLength?: number };
  const own = password.minLength;
  Object.defineProperty(password, 'minLength', {
    configurable: true,
    enumerable: true,
    get: () => (isSiteCodeWrite() ? own : getConfig(strapi).passwordPolicy.minLength),
  });
}
