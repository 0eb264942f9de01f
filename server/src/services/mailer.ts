// Emails: renders the configured templates and sends them through Strapi's email plugin.
// Links are built from configured URLs only, never from the request's Host header.
import type { Core } from '@strapi/strapi';
import { getConfig } from '../utils/plugin';
import { escapeHtml } from '../utils/html';
import type { TemplateName } from '../config/templates';

export type TemplateVariables = Record<string, string>;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');

/** "26 Feb 2026 17:37 UTC": unambiguous in every locale, and the zone is said. */
export const formatDateTime = (date: Date) =>
  `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())} UTC`;

/** "in 1 hour", "in 72 hours", "in 30 minutes". */
export function formatDuration(ms: number) {
  const minutes = Math.round(ms / 60000);
  if (minutes < 60) return `in ${minutes} minute${minutes === 1 ? '' : 's'}`;
  const hours = Math.round(minutes / 60);
  return `in ${hours} hour${hours === 1 ? '' : 's'}`;
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
    resetLink(token: string, legacyPage?: string | null) {
      if (legacyPage && new URL(legacyPage, 'http://invalid').origin !== new URL(baseUrl() || 'http://invalid').origin) {
        return `${legacyPage}${legacyPage.includes('?') ? '&' : '?'}code=${token}`;
      }
      const { resetPageUrl } = getConfig(strapi);
      return `${resetPageUrl ?? `${baseUrl()}/password-reset/reset`}#token=${token}`;
    },

    forgotLink() {
      return getConfig(strapi).forgotPageUrl ?? `${baseUrl()}/password-reset/forgot`;
    },

    codeVariables(expiresAt: Date): TemplateVariables {
      return { expiresIn: formatDuration(expiresAt.getTime() - Date.now()), expiresAt: formatDateTime(expiresAt) };
    },

    async send(name: TemplateName, to: string, variables: TemplateVariables) {
      const config = getConfig(strapi);
      const template = config.templates[name];
      const all = { siteName: config.siteName, email: to, forgotLink: this.forgotLink(), ...variables };
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
