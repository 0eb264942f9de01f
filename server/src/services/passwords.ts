// Passwords: the policy as the rest of the plugin applies it, and setting a password the way
// users-permissions stores it (bcrypt through the Document Service), ending the account's sessions.
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { getConfig, USER_UID } from '../utils/plugin';
import { runAuthorized, type WriteAuthorization } from '../utils/write-scope';
import { checkPassword, describeFailures, type PersonalInfo } from '../policy/password-policy';

const passwordsService = ({ strapi }: { strapi: Core.Strapi }) => ({
  check(password: string, info: PersonalInfo) {
    return checkPassword(password, getConfig(strapi).passwordPolicy, info);
  },

  /** Throws a ValidationError listing every rule the password breaks. */
  assertAcceptable(password: string, info: PersonalInfo) {
    const failures = this.check(password, info);
    if (failures.length > 0) {
      throw new errors.ValidationError(describeFailures(failures), {
        errors: failures.map(({ rule, message }) => ({ path: ['password'], rule, message })),
      });
    }
  },

  /**
   * Store a new password. The user-model lifecycle then revokes the account's codes and records the
   * moment, which kills JWTs issued before it; refresh-mode sessions are ended here.
   */
  async setPassword(account: { id: number; documentId: string }, password: string, authorization: WriteAuthorization) {
    await runAuthorized(authorization, () =>
      strapi.documents(USER_UID).update({ documentId: account.documentId, data: { password } as never }),
    );
    await strapi.sessionManager?.('users-permissions').invalidateRefreshToken(String(account.id));
  },
});

export type PasswordsService = ReturnType<typeof passwordsService>;
export default passwordsService;
