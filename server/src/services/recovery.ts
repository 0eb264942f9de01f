// Recovery: the visitor's flows, which combine the lower services — a visitor asks for a link, the holder of
// a code sets a password. (The administrators' flows are in administration.ts; every email goes through the
// outbox, outbox.ts.)
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { getConfig, getPluginService, USER_UID } from '../utils/plugin';
import type { Actor } from '../utils/actor';
import type { LinkOptions } from './outbox';
import { codeStillApplies } from '../domain/codes';
import { runAuthorized } from '../utils/write-scope';

/** One message for unknown, used, revoked and expired codes alike: a guesser learns nothing. */
export const INVALID_CODE_MESSAGE = 'This link is invalid or has expired. Ask for a new one.';

const recoveryService = ({ strapi }: { strapi: Core.Strapi }) => {
  const accounts = () => getPluginService(strapi, 'accounts');
  const audit = () => getPluginService(strapi, 'audit');
  const codes = () => getPluginService(strapi, 'codes');
  const passwords = () => getPluginService(strapi, 'passwords');
  const outbox = () => getPluginService(strapi, 'outbox');

  return {
    /**
     * A visitor asks for a link: one outbox row, the same for every address. Whether the address has an account,
     * and of which kind, must not show in the response or its timing (ARCHITECTURE.md, invariant 2), so the
     * lookup happens afterwards, when the outbox handles the row.
     */
    async requestReset(email: string, actor: Actor, link: LinkOptions = {}) {
      await outbox().enqueue([
        {
          kind: 'request',
          template: 'reset',
          address: email,
          actor,
          ...(link.legacyPage || link.redirectTo ? { data: pickLinkData(link) } : {}),
        },
      ]);
    },

    /** The live code for a token whose account is still what the code was issued for, with that account. */
    async findUsableCode(token: string) {
      const code = await codes().findLiveCode(token);
      const account = code ? await accounts().findById(code.userId) : null;
      if (!code || !account || !codeStillApplies(code, { ...account, kind: accounts().roleKind(account) })) return null;
      // A visitor's reset code must not open an account that has since become ineligible.
      if (code.purpose === 'reset' && (await accounts().whyIneligibleForSelfService(account))) return null;
      return { code, account };
    },

    async checkToken(token: string) {
      const usable = await this.findUsableCode(token);
      return usable
        ? { valid: true as const, purpose: usable.code.purpose, expiresAt: new Date(usable.code.expiresAt).toISOString() }
        : { valid: false as const };
    },

    /**
     * The holder of a code chooses a new password. The policy is checked before the code is spent, so a
     * refused password leaves the link usable; the code is then redeemed and the password stored in one
     * transaction, so either both happen or neither.
     */
    async resetWithCode(token: string, password: string, actor: Actor) {
      const usable = await this.findUsableCode(token);
      if (!usable) {
        await codes().auditIfExpired(token, actor);
        throw new errors.ValidationError(INVALID_CODE_MESSAGE);
      }
      const { account } = usable;
      passwords().assertAcceptable(password, account);

      await strapi.db.transaction(async () => {
        await accounts().lockForUpdate(account.id);
        // Under the account's lock: the account may have changed since it was read above.
        const locked = await accounts().findById(account.id);
        if (!locked || !codeStillApplies(usable.code, { ...locked, kind: accounts().roleKind(locked) })) {
          throw new errors.ValidationError(INVALID_CODE_MESSAGE);
        }
        const code = await codes().redeemCode(token, actor, usable.code);
        if (!code) throw new errors.ValidationError(INVALID_CODE_MESSAGE);
        await passwords().setPassword(account, password, { via: 'code' });
        if (code.purpose === 'activation' && !account.confirmed) {
          await runAuthorized({ via: 'code' }, () =>
            strapi.db.query(USER_UID).update({ where: { id: account.id }, data: { confirmed: true } }),
          );
        }
        await audit().record({ action: 'password.reset', actor, targetUserId: account.id, details: { purpose: code.purpose } });
      });

      if (getConfig(strapi).notifyPasswordChanged && account.email) {
        await outbox().enqueue([
          {
            kind: 'notice',
            template: 'passwordChanged',
            userId: account.id,
            address: account.email,
            data: { username: account.username ?? '', changedAt: new Date().toISOString() },
            actor,
          },
        ]);
      }
      return account;
    },
  };
};

export type { LinkOptions };

/** The link options as an outbox row's data: strings only. */
function pickLinkData(link: LinkOptions): Record<string, string> {
  return Object.fromEntries(Object.entries(link).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}
export type RecoveryService = ReturnType<typeof recoveryService>;
export default recoveryService;
