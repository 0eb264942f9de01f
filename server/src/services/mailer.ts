// Emails: renders the configured templates and sends them through Strapi's email plugin.
// Links are built from configured URLs only, never from the request's Host header.
import type { Core } from '@strapi/strapi';
import { getConfig, getPluginService, siteUrl } from '../utils/plugin';
import { LOCALES } from '../locales';
import { chooseLocale } from '../domain/locale';
import { isAllowedRedirect } from '../domain/redirects';
import { accountValue, renderTemplate, type TemplateVariables } from '../domain/templates';
import { errors } from '@strapi/utils';
import { boundedCache } from '../utils/bounded-cache';
import { describeActor, type Actor } from '../utils/actor';
import { TooManyRequestsError } from './rate-limit';
import {
  TEST_SEND_LIMIT,
  type EmailTemplate,
  type TemplateName,
  type TemplatePreview,
  type TemplateTestAddressChanged,
  type TemplateTestRefusal,
  type TemplateTestSent,
} from '../../../shared/contracts';

export type { TemplateVariables };

/** The address a test was to go to is no longer the administrator's: the controller answers 409 with the current one. */
export class TestAddressChangedError extends errors.ApplicationError {
  constructor(current: string) {
    const details: TemplateTestAddressChanged = { reason: 'address-changed', current };
    super(`Your email address is now ${current}: the test was not sent. Check the address and send again.`, details);
  }
}

/** Variables holding a moment (an ISO string when queued), written in the email's language and time zone. */
const DATE_VARIABLES = ['changedAt'];

/** Intl formatters are costly to build (about a millisecond each): one per language and zone, kept. */
const dateTimeFormats = boundedCache<Intl.DateTimeFormat>(64);
const relativeTimeFormats = boundedCache<Intl.RelativeTimeFormat>(64);

/** Dates and durations as written, by language, zone and value: a job's emails share their expiry. */
const written = boundedCache<string>(256);

/** The formatter of dates in a language and zone (day, month, year, hour, minute, zone). */
const dateTimeFormat = (intl: string, timeZone: string) =>
  dateTimeFormats(
    `${intl}|${timeZone}`,
    () =>
      new Intl.DateTimeFormat(intl, {
        day: 'numeric',
        month: 'short',
        year: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
        timeZone,
        timeZoneName: 'short',
      }),
  );

/** "23 Nov 2026, 15:37 UTC", "23 nov. 2026, 16:37 UTC+1": the zone is always said. */
export const formatDateTime = (date: Date, intl = 'en-GB', timeZone = 'UTC') =>
  written(`${intl}|${timeZone}|${date.getTime()}`, () => dateTimeFormat(intl, timeZone).format(date));

/** "in 1 hour", "dans 72 heures", "in 30 minutes". */
export function formatDuration(ms: number, intl = 'en-GB') {
  const minutes = Math.round(ms / 60000);
  const [value, unit] = minutes < 60 ? [minutes, 'minute' as const] : [Math.round(minutes / 60), 'hour' as const];
  return written(`${intl}|${value}|${unit}`, () =>
    relativeTimeFormats(intl, () => new Intl.RelativeTimeFormat(intl, { numeric: 'always' })).format(value, unit),
  );
}

const mailerService = ({ strapi }: { strapi: Core.Strapi }) => {
  const baseUrl = () => siteUrl(strapi);

  return {
    /**
     * Where a code's link points: the site's own page when configured, else the plugin's page; the token rides
     * in the fragment. `legacyPage` is users-permissions' reset page, which front-ends built for it read
     * `?code=` on; it is used only when it is not on this server, whose access log would record the query.
     */
    resetLink(token: string, legacyPage?: string | null, redirectTo?: string | null) {
      // Checked again at sending: a URL taken off the list since the request falls back to the configured page.
      if (redirectTo && isAllowedRedirect(redirectTo, getConfig(strapi).redirectUrls)) return `${redirectTo}#token=${token}`;
      if (legacyPage && new URL(legacyPage, 'http://invalid').origin !== new URL(baseUrl() || 'http://invalid').origin) {
        return `${legacyPage}${legacyPage.includes('?') ? '&' : '?'}code=${token}`;
      }
      const { resetPageUrl } = getConfig(strapi);
      return `${resetPageUrl ?? `${baseUrl()}/password-reset/reset`}#token=${token}`;
    },

    forgotLink() {
      return getConfig(strapi).forgotPageUrl ?? `${baseUrl()}/password-reset/forgot`;
    },

    /** The shipped language among these candidates (the account's field, the request's), else the default. */
    localeOf(...candidates: Array<string | null | undefined>) {
      const { locale } = getConfig(strapi);
      return chooseLocale(candidates, Object.keys(LOCALES), locale.default);
    },

    codeVariables(expiresAt: Date, locale: string): TemplateVariables {
      const { intl } = LOCALES[locale];
      return {
        expiresIn: formatDuration(expiresAt.getTime() - Date.now(), intl),
        expiresAt: formatDateTime(expiresAt, intl, getConfig(strapi).locale.timeZone),
      };
    },

    /**
     * An email in a language, rendered: the template in force (the admin's, else the site's default wording), or
     * the one given (a preview); `email` is the recipient's address unless the variables name another.
     */
    render(name: TemplateName, to: string, variables: TemplateVariables, locale: string, template?: EmailTemplate): EmailTemplate {
      const config = getConfig(strapi);
      const intl = (LOCALES[locale] ?? LOCALES[config.locale.default]).intl;
      const all: TemplateVariables = { siteName: config.siteName, email: to, forgotLink: this.forgotLink(), ...variables };
      for (const variable of ['username', ...config.templateFields]) if (all[variable]) all[variable] = accountValue(all[variable]);
      for (const variable of DATE_VARIABLES) {
        // Queued as an ISO moment; a row queued by an older version holds it already written.
        const value = all[variable] ?? '';
        if (/^\d{4}-\d{2}-\d{2}T/.test(value)) all[variable] = formatDateTime(new Date(value), intl, config.locale.timeZone);
      }
      return renderTemplate(template ?? getPluginService(strapi, 'templates').inForce(name, locale), all);
    },

    /**
     * The values a preview and a test email are written with: a made-up account (each account field the site names
     * shows as `[name]`) and a link whose token opens nothing.
     */
    sampleVariables(name: TemplateName, locale: string): TemplateVariables {
      const { codeTtlHours, templateFields } = getConfig(strapi);
      const hours = codeTtlHours[name === 'activation' ? 'activation' : 'reset'];
      return {
        ...Object.fromEntries(templateFields.map((field) => [field, `[${field}]`])),
        email: 'ada.lovelace@example.com',
        username: 'ada',
        link: this.resetLink('sample-token-opens-nothing'),
        ...this.codeVariables(new Date(Date.now() + hours * 3_600_000), locale),
        changedAt: new Date().toISOString(),
      };
    },

    /** A template as it would be sent, written with the sample values, and what a save of it would refuse. */
    preview(locale: string, name: string, body: unknown): TemplatePreview {
      const templates = getPluginService(strapi, 'templates');
      const { name: template, template: value } = templates.read(locale, name, body);
      const sample = this.sampleVariables(template, locale);
      return { ...this.render(template, sample.email, sample, locale, value), problems: templates.problems(template, value) };
    },

    /**
     * A test of a template, sent to the signed-in administrator's own address (`current`), and only if it is the
     * address the dialog named (`named`): an address that changed since is refused, and a request cannot choose
     * another. At most TEST_SEND_LIMIT tests per administrator (ARCHITECTURE.md, "Email templates"). Refusals are
     * audited as `template.test-refused`.
     */
    async sendTest(
      locale: string,
      name: string,
      body: unknown,
      addresses: { named: unknown; current: string | null },
      actor: Actor,
    ): Promise<TemplateTestSent> {
      const templates = getPluginService(strapi, 'templates');
      const audit = getPluginService(strapi, 'audit');
      const { name: template, template: value } = templates.read(locale, name, body);
      const { named, current } = addresses;
      if (typeof named !== 'string' || named === '') {
        throw new errors.ValidationError('"to" must be the address the test is sent to, as the confirmation showed it.');
      }
      if (!current) throw new errors.ValidationError('Your administrator account has no email address to send the test to.');
      const refuse = (reason: TemplateTestRefusal) =>
        audit.record({ action: 'template.test-refused', actor, details: { template, locale, reason } });
      if (named !== current) {
        await refuse('address-changed');
        throw new TestAddressChangedError(current);
      }
      templates.assertUsable(template, value);
      try {
        await getPluginService(strapi, 'rate-limit').consume([['testSendPerAdmin', describeActor(actor)]]);
      } catch (error) {
        if (!(error instanceof TooManyRequestsError)) throw error;
        await refuse('rate-limited');
        const minutes = Math.ceil(error.retryAfterSeconds / 60);
        throw new errors.RateLimitError(
          `You can send ${TEST_SEND_LIMIT.points} test emails an hour, and have: try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
          { retryAfterSeconds: error.retryAfterSeconds },
        );
      }
      const sample = this.sampleVariables(template, locale);
      try {
        await this.deliver(current, this.render(template, current, { ...sample, email: current }, locale, value));
      } catch (error) {
        throw new errors.ApplicationError(`The test email could not be sent: ${(error as Error).message}`);
      }
      await audit.record({ action: 'template.test-sent', actor, details: { template, locale } });
      return { to: current };
    },

    /** Render a template in a language and send it. */
    async send(name: TemplateName, to: string, variables: TemplateVariables, locale: string) {
      await this.deliver(to, this.render(name, to, variables, locale));
    },

    /** Hand a rendered email to Strapi's email plugin, from the configured sender. */
    async deliver(to: string, email: EmailTemplate) {
      const config = getConfig(strapi);
      await strapi
        .plugin('email')
        .service('email')
        .send({
          to,
          ...(config.email.from ? { from: config.email.from } : {}),
          ...(config.email.replyTo ? { replyTo: config.email.replyTo } : {}),
          ...email,
        });
    },
  };
};

export type MailerService = ReturnType<typeof mailerService>;
export default mailerService;
