// Default email templates. Placeholders are `{{name}}`; in `html` every value is HTML-escaped.
// Variables: siteName, email, username, link (code emails), forgotLink, expiresIn ("1 hour"),
// expiresAt ("26 Feb 2026 17:37 UTC"), changedAt (password-changed and email-changed emails).

export type TemplateName = 'reset' | 'activation' | 'passwordChanged' | 'passwordChangedByAdmin' | 'ineligible' | 'emailChanged';

export interface EmailTemplate {
  subject: string;
  text: string;
  html: string;
}

const paragraph = (text: string) => `<p style="margin:0 0 16px">${text}</p>`;
const button = (label: string) =>
  `<p style="margin:0 0 16px"><a href="{{link}}" style="display:inline-block;padding:10px 16px;background:#4945ff;color:#ffffff;text-decoration:none;border-radius:4px">${label}</a></p>`;
const layout = (body: string) =>
  `<div style="font-family:Arial,Helvetica,sans-serif;font-size:15px;line-height:1.5;color:#32324d;max-width:560px">${body}</div>`;

export const defaultTemplates: Record<TemplateName, EmailTemplate> = {
  reset: {
    subject: 'Reset your {{siteName}} password',
    text: [
      'Someone asked to reset the password of your {{siteName}} account ({{email}}).',
      '',
      'To choose a new password, open this link:',
      '{{link}}',
      '',
      'The link works once and expires {{expiresIn}}, on {{expiresAt}}.',
      '',
      'If you did not ask for this, ignore this email: your password stays as it is.',
    ].join('\n'),
    html: layout(
      paragraph('Someone asked to reset the password of your {{siteName}} account ({{email}}).') +
        button('Choose a new password') +
        paragraph('Or copy this link into your browser:<br><a href="{{link}}">{{link}}</a>') +
        paragraph('The link works once and expires {{expiresIn}}, on {{expiresAt}}.') +
        paragraph('If you did not ask for this, ignore this email: your password stays as it is.'),
    ),
  },
  activation: {
    subject: 'Set your {{siteName}} password',
    text: [
      'An administrator of {{siteName}} sent you this link to set the password of your account ({{email}}).',
      '',
      'To choose your password, open this link:',
      '{{link}}',
      '',
      'The link works once and expires {{expiresIn}}, on {{expiresAt}}.',
      'Until you use it, your current password (if you have one) keeps working.',
    ].join('\n'),
    html: layout(
      paragraph('An administrator of {{siteName}} sent you this link to set the password of your account ({{email}}).') +
        button('Choose your password') +
        paragraph('Or copy this link into your browser:<br><a href="{{link}}">{{link}}</a>') +
        paragraph('The link works once and expires {{expiresIn}}, on {{expiresAt}}.') +
        paragraph('Until you use it, your current password (if you have one) keeps working.'),
    ),
  },
  passwordChanged: {
    subject: 'Your {{siteName}} password was changed',
    text: [
      'The password of your {{siteName}} account ({{email}}) was changed on {{changedAt}}.',
      '',
      'If you did not do this, ask for a new link at once: {{forgotLink}}',
      'and contact the site administrators.',
    ].join('\n'),
    html: layout(
      paragraph('The password of your {{siteName}} account ({{email}}) was changed on {{changedAt}}.') +
        paragraph('If you did not do this, <a href="{{forgotLink}}">ask for a new link</a> at once and contact the site administrators.'),
    ),
  },
  passwordChangedByAdmin: {
    subject: 'Your {{siteName}} password was changed by an administrator',
    text: [
      'An administrator of {{siteName}} changed the password of your account ({{email}}) on {{changedAt}}.',
      'Your previous password no longer works, and you have been signed out everywhere.',
      '',
      'If you did not expect this, contact the site administrators.',
    ].join('\n'),
    html: layout(
      paragraph('An administrator of {{siteName}} changed the password of your account ({{email}}) on {{changedAt}}.') +
        paragraph('Your previous password no longer works, and you have been signed out everywhere.') +
        paragraph('If you did not expect this, contact the site administrators.'),
    ),
  },
  emailChanged: {
    subject: 'The email address of your {{siteName}} account was changed',
    text: [
      'The email address of your {{siteName}} account, which was {{email}}, was changed to another address on {{changedAt}},',
      'by someone other than you (an administrator or an integration of the site).',
      '',
      'Password links now go to the new address. If you did not expect this, contact the site administrators at once.',
    ].join('\n'),
    html: layout(
      paragraph(
        'The email address of your {{siteName}} account, which was {{email}}, was changed to another address on {{changedAt}}, by someone other than you (an administrator or an integration of the site).',
      ) + paragraph('Password links now go to the new address. If you did not expect this, contact the site administrators at once.'),
    ),
  },
  ineligible: {
    subject: 'About your {{siteName}} password reset request',
    text: [
      'Someone asked to reset the password of the {{siteName}} account for {{email}}.',
      '',
      'The password of this account cannot be reset by email. Please contact the site administrators, who can send you a link.',
      '',
      'If you did not ask for this, ignore this email: nothing has changed.',
    ].join('\n'),
    html: layout(
      paragraph('Someone asked to reset the password of the {{siteName}} account for {{email}}.') +
        paragraph(
          'The password of this account cannot be reset by email. Please contact the site administrators, who can send you a link.',
        ) +
        paragraph('If you did not ask for this, ignore this email: nothing has changed.'),
    ),
  },
};
