// What administrators (admin panel) and integrators (API tokens) do to accounts: send activation codes, one
// or many; set a password now; set an account's expiry; and read an account's state with the actions the
// caller may take. Who may act on which account is the one rule in domain/restrictions.ts.
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { getConfig, getPluginService } from '../utils/plugin';
import type { Actor } from '../utils/actor';
import { chunk, mapWithConcurrency } from '../utils/concurrency';
import type { Account } from './accounts';
import { CODE_BATCH_SIZE, type IssuedCode } from './codes';
import { formatDateTime } from './mailer';
import { codeState } from '../domain/codes';
import { whyMayNotChange, type RestrictionReason, type SecurityField } from '../domain/restrictions';
import { describeReason, type Reason, type SendResult } from '../../../shared/contracts';

// 403s are PolicyErrors: Strapi replaces the message of any other ForbiddenError with "Forbidden".

/** What the caller is allowed, from its RBAC permissions (admins) or its kind (API tokens). */
export interface Permissions {
  sendCode: boolean;
  setPassword: boolean;
  manageOwners: boolean;
}

export type Action = 'send-code' | 'set-password' | 'set-expiry';

const administrationService = ({ strapi }: { strapi: Core.Strapi }) => {
  const accounts = () => getPluginService(strapi, 'accounts');
  const codes = () => getPluginService(strapi, 'codes');
  const audit = () => getPluginService(strapi, 'audit');

  /** Why this caller may not act on this account (writing these fields), or null when it may. */
  function whyMayNot(account: Account, actor: Actor, permissions: Permissions, fields: SecurityField[] = []): RestrictionReason | null {
    return whyMayNotChange({
      actor,
      target: { id: account.id, kind: accounts().roleKind(account) },
      fields,
      mayManageOwners: permissions.manageOwners,
      allowAdminSetPassword: getConfig(strapi).allowAdminSetPassword,
    });
  }

  async function refuse(account: Account, actor: Actor, reason: RestrictionReason, action: Action): Promise<never> {
    await audit().record({ action: 'restriction.refused', actor, targetUserId: account.id, details: { reason, attempted: action } });
    throw new errors.PolicyError(describeReason(reason), { reason });
  }

  async function findOrFail(userId: number) {
    const account = await accounts().findById(userId);
    if (!account) throw new errors.NotFoundError('There is no account with this id.');
    return account;
  }

  return {
    /** One activation code and one email per account; a result for each. Never changes a password. */
    async sendActivationCodes(userIds: number[], actor: Actor, permissions: Permissions): Promise<SendResult[]> {
      const found: Account[] = await accounts().findManyByIds(userIds);
      const byId = new Map(found.map((account) => [account.id, account]));
      const results = new Map<number, SendResult>();
      const eligible: Account[] = [];
      for (const userId of userIds) {
        if (results.has(userId)) continue;
        const account = byId.get(userId);
        const reason: Reason | null = !account
          ? 'unknown-account'
          : account.blocked
            ? 'blocked'
            : !account.email
              ? 'no-email'
              : whyMayNot(account, actor, permissions);
        if (reason) {
          results.set(userId, { userId, status: 'skipped', reason });
          if (account && !['unknown-account', 'blocked', 'no-email'].includes(reason)) {
            await audit().record({
              action: 'restriction.refused',
              actor,
              targetUserId: userId,
              details: { reason, attempted: 'send-code' },
            });
          }
        } else if (account) {
          eligible.push(account);
        }
      }

      // Batch by batch: a batch's codes are written in one transaction, then emailed. If the database fails,
      // the accounts of earlier batches are fully done and those of this and later batches untouched.
      const delivery = getPluginService(strapi, 'delivery');
      const batches = chunk(eligible, CODE_BATCH_SIZE);
      for (const [index, batch] of batches.entries()) {
        const userIds = batch.map((account) => account.id);
        let issued: IssuedCode[];
        try {
          issued = await strapi.db.transaction(() => codes().insertCodes(userIds, 'activation', actor));
        } catch (error) {
          strapi.log.error(`[password-reset] activation codes not issued: ${(error as Error).message}`);
          for (const account of batches.slice(index).flat()) {
            results.set(account.id, {
              userId: account.id,
              status: 'failed',
              failure: 'database',
              reason: 'The database could not store the code; nothing was sent.',
            });
          }
          break;
        }
        await codes().revokeSuperseded(userIds, actor);
        await mapWithConcurrency(issued, getConfig(strapi).email.concurrency, async (code) => {
          const account = byId.get(code.userId) as Account & { email: string };
          try {
            await delivery.emailCode(account, 'activation', code, actor);
            results.set(code.userId, { userId: code.userId, status: 'sent' });
          } catch (error) {
            results.set(code.userId, { userId: code.userId, status: 'failed', failure: 'email', reason: (error as Error).message });
          }
        });
      }
      return [...new Set(userIds)].map((id) => results.get(id) as SendResult);
    },

    /** Set a password now: the old one stops working at once, sessions end, outstanding codes die. */
    async setPasswordNow(userId: number, password: string, actor: Actor, permissions: Permissions, { notify = false } = {}) {
      const account = await findOrFail(userId);
      const reason = whyMayNot(account, actor, permissions, ['password']);
      if (reason) await refuse(account, actor, reason, 'set-password');
      const passwords = getPluginService(strapi, 'passwords');
      passwords.assertAcceptable(password, account);
      await passwords.setPassword(account, password, { via: actor.type === 'api-token' ? 'api-token' : 'admin' });
      let notified = false;
      if (notify && account.email) {
        // The password is set whatever happens to the email; the caller is told whether the account was notified.
        notified = await getPluginService(strapi, 'mailer')
          .send('passwordChangedByAdmin', account.email, { username: account.username ?? '', changedAt: formatDateTime(new Date()) })
          .then(
            () => true,
            (error: Error) => {
              strapi.log.warn(`[password-reset] password-changed notice to account ${userId} not sent: ${error.message}`);
              return false;
            },
          );
      }
      await audit().record({ action: 'password.set', actor, targetUserId: userId, details: { notified } });
      return { notified };
    },

    /** Set or clear the date after which the account may no longer use the public flow. */
    async setExpiry(userId: number, expiresAt: Date | null, actor: Actor, permissions: Permissions) {
      const account = await findOrFail(userId);
      const reason = whyMayNot(account, actor, permissions);
      if (reason) await refuse(account, actor, reason, 'set-expiry');
      await accounts().updateState(userId, { expiresAt: expiresAt ? expiresAt.toISOString() : null });
      await audit().record({
        action: 'account.expiry-set',
        actor,
        targetUserId: userId,
        details: { expiresAt: expiresAt?.toISOString() ?? null },
      });
      return this.status(userId, actor, permissions);
    },

    /** An account's state as the admin panel shows it, with what the caller may do and, if not, why. */
    async status(userId: number, actor: Actor, permissions: Permissions) {
      const account = await findOrFail(userId);
      const state = await accounts().getState(userId);
      const [latest] = await codes().latestCodes(userId);
      const decide = (permitted: boolean, missing: string, refusal: Reason | null) =>
        !permitted
          ? { allowed: false, reason: missing }
          : refusal
            ? { allowed: false, reason: describeReason(refusal) }
            : { allowed: true };
      const now = new Date();
      return {
        userId,
        email: account.email,
        username: account.username,
        activated: Boolean(account.confirmed),
        blocked: Boolean(account.blocked),
        kind: accounts().roleKind(account),
        expiresAt: state?.expiresAt ? new Date(state.expiresAt).toISOString() : null,
        expired: accounts().isExpired(state, now),
        passwordChangedAt: state?.passwordChangedAt ? new Date(state.passwordChangedAt).toISOString() : null,
        lastCode: latest
          ? {
              purpose: latest.purpose,
              sentAt: new Date(latest.createdAt).toISOString(),
              expiresAt: new Date(latest.expiresAt).toISOString(),
              usedAt: latest.usedAt ? new Date(latest.usedAt).toISOString() : null,
              revokedAt: latest.revokedAt ? new Date(latest.revokedAt).toISOString() : null,
              state: codeState(latest, now),
            }
          : null,
        actions: {
          sendCode: decide(
            permissions.sendCode,
            'You need the "Send activation codes" permission.',
            whyMayNot(account, actor, permissions) ?? (account.blocked ? 'blocked' : account.email ? null : 'no-email'),
          ),
          setPassword: decide(
            permissions.setPassword,
            'You need the "Set a password now" permission.',
            whyMayNot(account, actor, permissions, ['password']),
          ),
          setExpiry: decide(
            permissions.sendCode,
            'You need the "Send activation codes" permission.',
            whyMayNot(account, actor, permissions),
          ),
        },
      };
    },
  };
};

export type AdministrationService = ReturnType<typeof administrationService>;
export default administrationService;
