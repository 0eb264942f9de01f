// What administrators (admin panel) and integrators (API tokens) do to accounts: send activation codes, one
// or many; set a password now; set an account's expiry; and read an account's state with the actions the
// caller may take. Who may act on which account is the one rule in domain/restrictions.ts.
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { getConfig, getPluginService } from '../utils/plugin';
import type { Actor } from '../utils/actor';
import type { Account } from './accounts';
import type { MessageRow } from './outbox';
import { codeState } from '../domain/codes';
import type { Permissions, RestrictionReason, SecurityField } from '../domain/restrictions';
import { describeReason, type JobStarted, type Reason, type SendResult } from '../../../shared/contracts';

// 403s are PolicyErrors: Strapi replaces the message of any other ForbiddenError with "Forbidden".

export type { Permissions };

export type Action = 'send-code' | 'set-password' | 'set-expiry';

const administrationService = ({ strapi }: { strapi: Core.Strapi }) => {
  const accounts = () => getPluginService(strapi, 'accounts');
  const codes = () => getPluginService(strapi, 'codes');
  const audit = () => getPluginService(strapi, 'audit');

  const jobs = () => getPluginService(strapi, 'jobs');
  const whyMayNot = (account: Account, actor: Actor, permissions: Permissions, fields: SecurityField[] = []) =>
    accounts().whyMayNotAct(account, actor, permissions, fields);

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
    /**
     * One activation code and one email per account. Up to `bulk.inlineLimit` accounts, sent now and answered
     * with a result for each; more, started as a job (services/jobs.ts) and answered with it. Never changes a password.
     */
    async sendActivationCodes(userIds: number[], actor: Actor, permissions: Permissions): Promise<{ results: SendResult[] } | JobStarted> {
      const unique = [...new Set(userIds)];
      if (unique.length > getConfig(strapi).bulk.inlineLimit) return { job: await jobs().create(unique, actor, permissions) };
      const verdicts = await jobs().verdicts(unique, actor, permissions, { skipRecent: unique.length > 1, audit: true });
      const sendable = unique.filter((userId) => !verdicts.get(userId));
      const rows = await getPluginService(strapi, 'outbox').sendNow(
        sendable.map((userId) => ({ kind: 'code' as const, template: 'activation' as const, userId, actor })),
      );
      const sent = new Map(rows.map((row) => [row.userId as number, row]));
      // Results name accounts by address: an administrator knows them by it, not by their id; but only the accounts
      // the caller may act on (accounts.namedFor).
      const emails = new Map((await accounts().findManyByIds(unique)).map((account) => [account.id, account.email ?? null]));
      const results = unique.map((userId): SendResult => {
        const email = emails.get(userId) ?? null;
        const reason = verdicts.get(userId);
        if (reason) return { userId, email, status: 'skipped', reason };
        const row = sent.get(userId) as MessageRow;
        if (row.state === 'sent') return { userId, email, status: 'sent' };
        if (row.state === 'skipped') return { userId, email, status: 'skipped', reason: row.reason as Reason };
        // `queued`: the mail server asked to try later, and the outbox will.
        return {
          userId,
          email,
          status: row.state === 'failed' ? 'failed' : 'queued',
          failure: row.failure ?? 'email',
          reason: row.reason ?? '',
        };
      });
      return { results: await accounts().namedFor(results, actor, permissions) };
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
        const [row] = await getPluginService(strapi, 'outbox').sendNow([
          {
            kind: 'notice',
            template: 'passwordChangedByAdmin',
            userId,
            address: account.email,
            data: { username: account.username ?? '', changedAt: new Date().toISOString() },
            actor,
          },
        ]);
        notified = row.state === 'sent';
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
        passwordChangedAt: account.passwordChangedAt ? new Date(account.passwordChangedAt).toISOString() : null,
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
