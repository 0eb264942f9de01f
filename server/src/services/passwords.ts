// Passwords: the policy as the rest of the plugin applies it, and setting a password the way
// users-permissions stores it.
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { getConfig, USER_UID } from '../utils/plugin';
import { runAuthorized, type WriteAuthorization } from '../utils/write-scope';
import { checkPassword, describeFailures, type PersonalInfo } from '../domain/password-policy';

const passwordsService = ({ strapi }: { strapi: Core.Strapi }) => ({
  check(password: string, info: PersonalInfo) {
    return checkPassword(password, getConfig(strapi).passwordPolicy, info);
  },

  /** Throws a ValidationError listing every rule the password breaks. */
  assertAcceptable(password: string, info: PersonalInfo) {
    const failures = this.check(password, info);
    if (failures.length > 0) {
      throw new errors.ValidationError(describeFailures(failures), {
        errors: failures.map(({ rule, message, limit }) => ({ path: ['password'], rule, message, limit })),
      });
    }
  },

  /**
   * Store a new password the way users-permissions does (bcrypt through the Document Service). The user-model
   * lifecycle then revokes the account's codes and ends its sessions, whatever path wrote the password.
   */
  async setPassword(account: { id: number; documentId: string }, password: string, authorization: WriteAuthorization) {
    await runAuthorized(authorization, () =>
      // Only the id is read back: the caller has the account already.
      strapi.documents(USER_UID).update({ documentId: account.documentId, data: { password }, fields: ['id'] } as never),
    );
  },
});

export type PasswordsService = ReturnType<typeof passwordsService>;
export default passwordsService;
