// The languages emails and the public pages are written in (ARCHITECTURE.md, "Languages"): one file each.
import type { EmailTemplate, TemplateName } from '../../../shared/contracts';
import { en } from './en';
import { fr } from './fr';

export interface LocaleMessages {
  /** The Intl locale that writes dates and durations ("23 Nov 2026, 15:37 UTC", "in 1 hour"). */
  intl: string;
  /** The public pages' words; `{{minLength}}` in policyLength. */
  pages: Record<PageText, string>;
  templates: Record<TemplateName, EmailTemplate>;
}

export type PageText =
  | 'forgotTitle'
  | 'forgotIntro'
  | 'emailLabel'
  | 'sendLink'
  | 'resetTitle'
  | 'checking'
  | 'linkInvalid'
  | 'askNewLink'
  | 'newPassword'
  | 'repeatPassword'
  | 'setPassword'
  | 'done'
  | 'signIn'
  | 'policyLength'
  | 'policyNotCommon'
  | 'policyNotPersonal'
  | 'policySeparator'
  | 'tooManyAttempts'
  | 'somethingWrong'
  | 'invalidEmail'
  | 'linkOnItsWay'
  | 'passwordsDiffer'
  | 'passwordTooShort'
  | 'passwordTooLong'
  | 'passwordCommon'
  | 'passwordPersonal';

/** Every shipped language, by its code. Adding one: a file beside this one, and a line here. */
export const LOCALES: Record<string, LocaleMessages> = { en, fr };
export const LOCALE_CODES = Object.keys(LOCALES);
