// The two public pages (ask for a link; choose a new password). No inline script and no external assets,
// so they work under Strapi's default Content-Security-Policy. The token is read from the URL fragment,
// which browsers never send to the server, and posted in a JSON body.
import { escapeHtml } from '../utils/html';
import type { PolicyOptions } from '../domain/password-policy';

/** The policy as the page states it, from the options in force. */
export function describePolicy(policy: PolicyOptions) {
  const not = [
    policy.rejectCommon ? 'not a common password' : null,
    policy.rejectPersonalInfo ? 'not your email address or username' : null,
  ];
  return [`At least ${policy.minLength} characters`, ...not.filter(Boolean)].join('; ') + '.';
}

const layout = (siteName: string, title: string, page: 'forgot' | 'reset', body: string) => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)} · ${escapeHtml(siteName)}</title>
<link rel="stylesheet" href="/password-reset/assets/pages.css">
<script src="/password-reset/assets/pages.js" defer></script>
</head>
<body data-page="${page}">
<main class="card">
<p class="site">${escapeHtml(siteName)}</p>
<h1>${escapeHtml(title)}</h1>
${body}
</main>
</body>
</html>
`;

export const forgotPage = (siteName: string) =>
  layout(
    siteName,
    'Forgotten your password?',
    'forgot',
    `<p>Enter the email address of your account. If it can be reset, we will send you a link to choose a new password.</p>
<form id="forgot-form" novalidate>
<label for="email">Email address</label>
<input id="email" name="email" type="email" autocomplete="email" required maxlength="254" aria-describedby="form-status">
<button type="submit">Send me a link</button>
</form>
<p id="form-status" class="status" role="status" aria-live="polite"></p>`,
  );

export const resetPage = (siteName: string, forgotUrl: string, policy: PolicyOptions) =>
  layout(
    siteName,
    'Choose a new password',
    'reset',
    `<p id="checking" role="status" aria-live="polite">Checking your link…</p>
<div id="link-invalid" class="status error" role="alert" hidden>
<p>This link is invalid, has already been used, or has expired.</p>
<p><a href="${escapeHtml(forgotUrl)}">Ask for a new link</a></p>
</div>
<form id="reset-form" novalidate hidden>
<label for="password">New password</label>
<input id="password" name="password" type="password" autocomplete="new-password" required aria-describedby="password-hint form-status">
<p id="password-hint" class="hint">${escapeHtml(describePolicy(policy))}</p>
<label for="passwordConfirmation">Repeat the new password</label>
<input id="passwordConfirmation" name="passwordConfirmation" type="password" autocomplete="new-password" required>
<button type="submit">Set my password</button>
</form>
<p id="form-status" class="status" role="status" aria-live="polite"></p>
<p id="done" class="status success" role="status" hidden>Your password has been changed. You can now sign in with it.</p>`,
  );
