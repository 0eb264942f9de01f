// English: the default language of emails and pages. To add a language, copy this file, translate it, and
// list it in locales/index.ts (ARCHITECTURE.md, "Languages"). Placeholders are `{{name}}`; see README.
import type { LocaleMessages } from './index';
import { button, layout, paragraph } from './email-layout';

export const en: LocaleMessages = {
  intl: 'en-GB',

  pages: {
    forgotTitle: 'Forgotten your password?',
    forgotIntro: 'Enter the email address of your account. If it can be reset, we will send you a link to choose a new password.',
    emailLabel: 'Email address',
    sendLink: 'Send me a link',
    resetTitle: 'Choose a new password',
    checking: 'Checking your link…',
    linkInvalid: 'This link is invalid, has already been used, or has expired.',
    askNewLink: 'Ask for a new link',
    newPassword: 'New password',
    repeatPassword: 'Repeat the new password',
    setPassword: 'Set my password',
    done: 'Your password has been changed. You can now sign in with it.',
    signIn: 'Sign in',
    policyLength: 'At least {{minLength}} characters',
    policyNotCommon: 'not a common password',
    policyNotPersonal: 'not your email address or username',
    policySeparator: '; ',
    tooManyAttempts: 'Too many attempts. Please wait a little and try again.',
    somethingWrong: 'Something went wrong. Please try again.',
    invalidEmail: 'Enter a valid email address.',
    linkOnItsWay: 'If this address belongs to an account that can be reset, a link is on its way. Check your inbox.',
    passwordsDiffer: 'The two passwords do not match.',
    passwordTooShort: 'The password must be at least {{limit}} characters long.',
    passwordTooLong: 'The password must be at most {{limit}} bytes long.',
    passwordCommon: 'The password must not be a commonly used password.',
    passwordPersonal: 'The password must not contain your email address or username.',
  },
  templates: {
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
  },
};
