// Email delivery: issuing a code and emailing its link, the notices, and the queue that does this work after
// the reply (a visitor's request must not wait for it, nor show by its timing whether it happened).
import type { Core } from '@strapi/strapi';
import { getPluginService } from '../utils/plugin';
import type { Actor } from '../utils/actor';
import { formatDateTime } from './mailer';
import type { IssuedCode } from './codes';
import type { Purpose } from '../config';

/** An account a code can be mailed to. */
export interface MailableAccount {
  id: number;
  email: string;
  username: string | null;
}

/** Where a code's link points when not the configured page: users-permissions' own reset page, which reads `?code=`. */
export interface LinkOptions {
  legacyPage?: string;
}

const deliveryService = ({ strapi }: { strapi: Core.Strapi }) => {
  const audit = () => getPluginService(strapi, 'audit');
  const accounts = () => getPluginService(strapi, 'accounts');
  const codes = () => getPluginService(strapi, 'codes');
  const mailer = () => getPluginService(strapi, 'mailer');

  // Work moved off the response path; `drain` lets Strapi's destroy wait for it.
  const pending = new Set<Promise<void>>();
  const later = (work: () => Promise<void>) => {
    const task = new Promise<void>((resolve) => setImmediate(resolve))
      .then(work)
      .catch((error: unknown) => {
        strapi.log.error(`[password-reset] background task failed: ${(error as Error).message}`);
      })
      .finally(() => pending.delete(task));
    pending.add(task);
  };

  return {
    /** Run `work` after the current reply; a failure is logged. `drain` waits for all of it. */
    later,

    /** Issue a code and email its link. */
    async sendCode(account: MailableAccount, purpose: Purpose, actor: Actor, link: LinkOptions = {}) {
      const code = await codes().issueCode(account.id, purpose, actor);
      await this.emailCode(account, purpose, code, actor, link);
    },

    /** `sendCode` off the request path; a failure is logged and audited (email.failed), and leaves no live code. */
    sendCodeLater(account: MailableAccount, purpose: Purpose, actor: Actor) {
      later(() => this.sendCode(account, purpose, actor));
    },

    /** Email an issued code's link. A code whose email was not accepted is revoked, so no live code is left unseen. */
    async emailCode(account: MailableAccount, purpose: Purpose, code: IssuedCode, actor: Actor, link: LinkOptions = {}) {
      try {
        await mailer().send(purpose, account.email, {
          username: account.username ?? '',
          link: mailer().resetLink(code.token, link.legacyPage),
          ...mailer().codeVariables(code.expiresAt),
        });
      } catch (error) {
        await codes().revokeCodes(account.id, 'email-failed', actor, { ids: [code.codeId] });
        await audit().record({
          action: 'email.failed',
          actor,
          targetUserId: account.id,
          details: { purpose, error: (error as Error).message },
        });
        throw error;
      }
    },

    /** Tell an account's previous address that its address was changed, by someone other than its holder. */
    notifyEmailChanged(userId: number, previousEmail: string) {
      later(async () => {
        const account = await accounts().findById(userId);
        await mailer().send('emailChanged', previousEmail, { username: account?.username ?? '', changedAt: formatDateTime(new Date()) });
      });
    },

    async drain() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
};

export type DeliveryService = ReturnType<typeof deliveryService>;
export default deliveryService;
