// Passwords: the policy as the rest of the plugin applies it, and setting a password the way
// users-permissions stores it.
import bcrypt from 'bcryptjs';
import type { Core } from '@strapi/strapi';
import { errors, sanitize } from '@strapi/utils';
import { getConfig, USER_UID } from '../utils/plugin';
import { afterCommit, nextTurn } from '../utils/after-commit';
import { runAuthorized, type WriteAuthorization } from '../utils/write-scope';
import { checkPassword, describeFailures, type PersonalInfo } from '../domain/password-policy';

interface PasswordAttribute {
  encryption?: { rounds?: number | string };
}

const passwordsService = ({ strapi }: { strapi: Core.Strapi }) => {
  const attribute = () => strapi.getModel(USER_UID).attributes.password as PasswordAttribute;

  /**
   * What the Document Service tells the site after it updates an entry, told here for a password this plugin
   * wrote: `entry.update` (webhooks, event listeners) with the account as the Document Service would send it,
   * once the write is committed.
   */
  function announceUpdate(id: number) {
    const emit = async () => {
      const model = strapi.getModel(USER_UID);
      const entry = await strapi.db.query(USER_UID).findOne({ where: { id }, populate: true });
      if (!entry) return;
      const getModel = (uid: string) => strapi.getModel(uid as never);
      const sanitized = await sanitize.sanitizers.defaultSanitizeOutput({ schema: model, getModel }, entry);
      await strapi.eventHub.emit('entry.update', { model: model.modelName, uid: USER_UID, entry: sanitized });
    };
    // In the next turn of the event loop: the request that set the password answers before the account is read back.
    const emitLogged = () =>
      void nextTurn()
        .then(emit)
        .catch((error: unknown) => strapi.log.error(`password-reset: entry.update not emitted: ${error}`));
    void afterCommit(strapi, emitLogged);
  }

  return {
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
     * Store a new password as users-permissions does (bcryptjs, at the cost its schema sets, 10 by default), with
     * one UPDATE through the database layer rather than the Document Service's four queries and checks: the
     * policy was checked before, and `entry.update` is emitted as the Document Service would (ARCHITECTURE.md,
     * "How a write to an account is checked"). The user-model lifecycle then revokes the account's codes and ends
     * its sessions, whatever path wrote the password.
     */
    async setPassword(account: { id: number }, password: string, authorization: WriteAuthorization) {
      const rounds = Number(attribute().encryption?.rounds ?? 10);
      const hash = bcrypt.hashSync(password, rounds);
      // `updatedAt` by hand: Strapi's timestamps set it for `update`, not for an `updateMany` of one object.
      await runAuthorized(authorization, () =>
        strapi.db.query(USER_UID).updateMany({ where: { id: account.id }, data: { password: hash, updatedAt: new Date() } }),
      );
      announceUpdate(account.id);
    },
  };
};

export type PasswordsService = ReturnType<typeof passwordsService>;
export default passwordsService;
