// Emails: renders the configured templates and sends them through Strapi's email plugin.
// Links are built from configured URLs only, never from the request's Host header.
import type { Core } from '@strapi/strapi';
import { getConfig } from '../utils/plugin';
import { escapeHtml } from '../utils/html';
import type { TemplateName } from '../config/templates';
import { LOCALES } from '../locales';
import { chooseLocale } from '../domain/locale';
import { isAllowedRedirect } from '../domain/redirects';

export type TemplateVariables = Record<string, string>;

/** Variables holding a moment (an ISO string when queued), written in the email's language and time zone. */
const DATE_VARIABLES = ['changedAt'];

/** "23 Nov 2026, 15:37 UTC", "23 nov. 2026, 16:37 UTC+1": the zone is always said. */
export const formatDateTime = (date: Date, intl = 'en-GB', timeZone = 'UTC') =>
  new Intl.DateTimeFormat(intl, {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone,
    timeZoneName: 'short',
  }).format(date);

/** "in 1 hour", "dans 72 heures", "in 30 minutes". */
export function formatDuration(ms: number, intl = 'en-GB') {
  const minutes = Math.round(ms / 60000);
  const relative = new Intl.RelativeTimeFormat(intl, { numeric: 'always' });
  return minutes < 60 ? relative.format(minutes, 'minute') : relative.format(Math.round(minutes / 60), 'hour');
}

/** Fill `{{name}}` placeholders; unknown names are left empty. */
export const renderTemplate = (template: string, variables: TemplateVariables, escape = false) =>
  template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => {
    const value = variables[name] ?? '';
    return escape ? escapeHtml(value) : value;
  });

const mailerService = ({ strapi }: { strapi: Core.Strapi }) => {
  const baseUrl = () => {
    const { publicUrl } = getConfig(strapi);
    const absolute = publicUrl ?? (strapi.config.get('server.absoluteUrl') as string | undefined) ?? '';
    return absolute.replace(/\/+$/, '');
  };

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

    /** Render a template in a language (the site's own wording in the default language) and send it. */
    async send(name: TemplateName, to: string, variables: TemplateVariables, locale: string) {
      const config = getConfig(strapi);
      const messages = LOCALES[locale] ?? LOCALES[config.locale.default];
      const template = { ...messages.templates[name], ...(locale === config.locale.default ? config.templates[name] : {}) };
      const all: TemplateVariables = { siteName: config.siteName, email: to, forgotLink: this.forgotLink(), ...variables };
      for (const variable of DATE_VARIABLES) {
        // Queued as an ISO moment; a row queued by an older version holds it already written.
        const value = all[variable] ?? '';
        if (/^\d{4}-\d{2}-\d{2}T/.test(value)) all[variable] = formatDateTime(new Date(value), messages.intl, config.locale.timeZone);
      }
      await strapi
        .plugin('email')
        .service('email')
        .send({
          to,
          ...(config.email.from ? { from: config.email.from } : {}),
          ...(config.email.replyTo ? { replyTo: config.email.replyTo } : {}),
          subject: renderTemplate(template.subject, all),
          text: renderTemplate(template.text, all),
          html: renderTemplate(template.html, all, true),
        });
    },
  };
};

export type MailerService = ReturnType<typeof mailerService>;
export default mailerService;
