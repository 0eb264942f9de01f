// Recovery: the visitor's flows, which combine the lower services — a visitor asks for a link, the holder of
// a code sets a password. (The administrators' flows are in administration.ts; every email goes through the
// outbox, outbox.ts.)
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { getConfig, getPluginService, USER_UID } from '../utils/plugin';
import type { Actor } from '../utils/actor';
import type { LinkOptions } from './outbox';
import type { AuditEntry } from './audit';
import type { CodeRow } from './codes';
import { codeStillApplies } from '../domain/codes';
import { runAuthorized } from '../utils/write-scope';

/** One message for unknown, used, revoked and expired codes alike: a guesser learns nothing. */
export const INVALID_CODE_MESSAGE = 'This link is invalid or has expired. Ask for a new one.';

const recoveryService = ({ strapi }: { strapi: Core.Strapi }) => {
  const accounts = () => getPluginService(strapi, 'accounts');
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

    /** The account of a live code, when it is still what the code was issued for; else null. */
    async accountForCode(code: CodeRow) {
      const account = await accounts().findById(code.userId);
      if (!account || !codeStillApplies(code, { ...account, kind: accounts().roleKind(account) })) return null;
      // A visitor's reset code must not open an account that has since become ineligible.
      if (code.purpose === 'reset' && (await accounts().whyIneligibleForSelfService(account))) return null;
      return account;
    },

    /** The live code for a token whose account is still what the code was issued for, with that account. */
    async findUsableCode(token: string) {
      const code = await codes().findLiveCode(token);
      const account = code ? await this.accountForCode(code) : null;
      return code && account ? { code, account } : null;
    },

    async checkToken(token: string) {
      const usable = await this.findUsableCode(token);
      return usable
        ? { valid: true as const, purpose: usable.code.purpose, expiresAt: new Date(usable.code.expiresAt).toISOString() }
        : { valid: false as const };
    },

    /**
     * The holder of a code chooses a new password, in one transaction: the account is read under its lock, the
     * policy checked (a refused password rolls back, and the link stays usable), the code redeemed, the password
     * stored, and the notice of the change written to the outbox — all of them or none, for one commit.
     */
    async resetWithCode(token: string, password: string, actor: Actor) {
      const account = await strapi.db.transaction(async () => {
        const code = await codes().findLiveCode(token);
        if (!code) return null;
        await accounts().lockForUpdate(code.userId);
        const account = await this.accountForCode(code);
        if (!account) return null;
        passwords().assertAcceptable(password, account);
        const reset: AuditEntry = { action: 'password.reset', actor, targetUserId: account.id, details: { purpose: code.purpose } };
        // Another request redeemed it since it was read: nothing is written.
        if (!(await codes().redeemCode(token, actor, code, [reset]))) throw new errors.ValidationError(INVALID_CODE_MESSAGE);
        await passwords().setPassword(account, password, { via: 'code' });
        if (code.purpose === 'activation' && !account.confirmed) {
          await runAuthorized({ via: 'code' }, () =>
            strapi.db.query(USER_UID).update({ where: { id: account.id }, data: { confirmed: true } }),
          );
        }
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
      });
      if (!account) {
        await codes().auditIfExpired(token, actor);
        throw new errors.ValidationError(INVALID_CODE_MESSAGE);
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
