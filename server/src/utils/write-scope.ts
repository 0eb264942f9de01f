// Marks a password write that this plugin has already authorized (a redeemed code, an administrator's
// set-now), so the user-model guard does not decide twice. Scoped with AsyncLocalStorage: it covers exactly
// the writes made inside `runAuthorized`, and nothing a concurrent request does.
import { AsyncLocalStorage } from 'node:async_hooks';

export interface WriteAuthorization {
  /** `activation-on-create`: a random password no one knows, given to a new account that gets an activation code. */
  via: 'code' | 'admin' | 'api-token' | 'activation-on-create';
}

const scope = new AsyncLocalStorage<WriteAuthorization>();

export const runAuthorized = <T>(authorization: WriteAuthorization, write: () => Promise<T>) => scope.run(authorization, write);

export const currentAuthorization = () => scope.getStore();

/**
 * Marks a write made by the site's own code outside any request (a seed script, a migration, a test's setup), which
 * the password policy trusts (README, "Security", Limits): Strapi's validator then reads users-permissions' own
 * minimum length for it (`extensions/users-permissions/password-hint.ts`).
 */
const siteCode = new AsyncLocalStorage<true>();

export const runAsSiteCode = <T>(write: () => T) => siteCode.run(true, write);

export const isSiteCodeWrite = () => siteCode.getStore() === true;
