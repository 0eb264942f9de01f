// The two public pages (ask for a link; choose a new password). No inline script and no external assets,
// so they work under Strapi's default Content-Security-Policy. The token is read from the URL fragment,
// which browsers never send to the server, and posted in a JSON body; the script then takes it out of the
// address bar and the history entry (assets.ts).
import { escapeHtml } from '../utils/html';
import type { PolicyOptions } from '../domain/password-policy';
import type { PageText } from '../locales';

/** A page's words, in its language, and the language's code. */
export interface PageWords {
  lang: string;
  text: Record<PageText, string>;
}

/** The words the page's script shows (errors, confirmations), handed to it in the page. */
const SCRIPT_TEXTS: PageText[] = [
  'tooManyAttempts',
  'somethingWrong',
  'invalidEmail',
  'linkOnItsWay',
  'passwordsDiffer',
  'passwordTooShort',
  'passwordTooLong',
  'passwordCommon',
  'passwordPersonal',
];

/** The policy as the page states it, from the options in force. */
export function describePolicy(policy: PolicyOptions, { text }: PageWords) {
  const not = [policy.rejectCommon ? text.policyNotCommon : null, policy.rejectPersonalInfo ? text.policyNotPersonal : null];
  return [text.policyLength.replace('{{minLength}}', String(policy.minLength)), ...not.filter(Boolean)].join(text.policySeparator) + '.';
}

const layout = (siteName: string, title: string, page: 'forgot' | 'reset', body: string, words: PageWords) => `<!doctype html>
<html lang="${escapeHtml(words.lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)} · ${escapeHtml(siteName)}</title>
<link rel="stylesheet" href="/password-reset/assets/pages.css">
<script src="/password-reset/assets/pages.js" defer></script>
</head>
<body data-page="${page}" data-text="${escapeHtml(JSON.stringify(Object.fromEntries(SCRIPT_TEXTS.map((key) => [key, words.text[key]]))))}">
<main class="card">
<p class="site">${escapeHtml(siteName)}</p>
<h1>${escapeHtml(title)}</h1>
${body}
</main>
</body>
</html>
`;

export const forgotPage = (siteName: string, words: PageWords) => {
  const t = (key: PageText) => escapeHtml(words.text[key]);
  return layout(
    siteName,
    words.text.forgotTitle,
    'forgot',
    `<p>${t('forgotIntro')}</p>
<form id="forgot-form" novalidate>
<label for="email">${t('emailLabel')}</label>
<input id="email" name="email" type="email" autocomplete="email" required maxlength="254" aria-describedby="form-status">
<button type="submit">${t('sendLink')}</button>
</form>
<p id="form-status" class="status" role="status" aria-live="polite"></p>`,
    words,
  );
};

export const resetPage = (siteName: string, forgotUrl: string, policy: PolicyOptions, words: PageWords, loginUrl: string | null = null) => {
  const t = (key: PageText) => escapeHtml(words.text[key]);
  return layout(
    siteName,
    words.text.resetTitle,
    'reset',
    `<p id="checking" role="status" aria-live="polite">${t('checking')}</p>
<div id="link-invalid" class="status error" role="alert" hidden>
<p>${t('linkInvalid')}</p>
<p><a href="${escapeHtml(forgotUrl)}">${t('askNewLink')}</a></p>
</div>
<form id="reset-form" novalidate hidden>
<label for="password">${t('newPassword')}</label>
<input id="password" name="password" type="password" autocomplete="new-password" required aria-describedby="password-hint form-status">
<p id="password-hint" class="hint">${escapeHtml(describePolicy(policy, words))}</p>
<label for="passwordConfirmation">${t('repeatPassword')}</label>
<input id="passwordConfirmation" name="passwordConfirmation" type="password" autocomplete="new-password" required>
<button type="submit">${t('setPassword')}</button>
</form>
<p id="form-status" class="status" role="status" aria-live="polite"></p>
<div id="done" class="status success" role="status" hidden><p>${t('done')}</p>${
      loginUrl ? `<p><a id="sign-in" href="${escapeHtml(loginUrl)}">${t('signIn')}</a></p>` : ''
    }</div>`,
    words,
  );
};
