// The shape of an email template. The texts are per language, in server/src/locales/ (en.ts is the default).
// Placeholders are `{{name}}`; in `html` every value is HTML-escaped. Variables: siteName, email, username,
// link (code emails), forgotLink, expiresIn ("in 1 hour"), expiresAt ("26 Feb 2026, 17:37 UTC"), changedAt
// (password-changed and email-changed emails); dates are written in the email's language and `locale.timeZone`.

export type TemplateName = 'reset' | 'activation' | 'passwordChanged' | 'passwordChangedByAdmin' | 'ineligible' | 'emailChanged';

export interface EmailTemplate {
  subject: string;
  text: string;
  html: string;
}
