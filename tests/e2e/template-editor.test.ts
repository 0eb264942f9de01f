// An administrator rewords the password reset email in Settings → Password reset emails, in the real admin panel: the live
// preview follows each edit (an account field shows as [name]), a template that would insert a value unescaped is
// refused with the reason next to the field and nothing stored, the fixed one is saved, sent as a test to the
// administrator once a confirmation names their address, and used for the next real reset email; "Reset to default" brings the shipped wording back.
// Another language, or a link elsewhere, would lose an edit not saved: the page asks first.
import type { Locator, Page } from 'playwright-core';
import { usePlayground } from '../helpers/strapi';
import { expectValue, logInAdmin, startBrowser } from '../helpers/browser';

// firstName is an account field of the playground's (playground/src/index.js), named here for the emails.
const playground = usePlayground({ adminPanel: true, config: { templateFields: ['firstName'] } });
const USERS = 'plugin::users-permissions.user';
const ADMIN_EMAIL = 'super@admin.test';
const DEFAULT_SUBJECT = 'Reset your {{siteName}} password';
const SUBJECT = 'Hello {{firstName}}, reset your {{siteName}} password';
let browser: Awaited<ReturnType<typeof startBrowser>>;
let page: Page;

jest.setTimeout(120000);

beforeAll(async () => {
  await playground().admins.loginSuperAdmin();
  browser = await startBrowser();
  page = await browser.newPage();
  await logInAdmin(page, playground().baseUrl, ADMIN_EMAIL);
}, 60000);
afterAll(async () => {
  await browser?.close();
});

const storedTemplates = () => playground().strapi.store({ type: 'plugin', name: 'password-reset' }).get({ key: 'templates' });
const field = (label: string) => page.getByLabel(label, { exact: true });
const preview = (name = 'Preview') => page.getByRole('region', { name });

describe('Settings → Password reset emails', () => {
  it('opens the reset email in English, with its variables and a preview written with sample values', async () => {
    const { baseUrl } = playground();
    await page.goto(`${baseUrl}/admin/settings`);
    await page.locator('a[href="/admin/settings/password-reset-templates"]').click();
    await page.waitForURL(/\/admin\/settings\/password-reset-templates$/);
    await choose('Email', 'Password reset link');
    await choose('Language', 'English');

    await expectValue(field('Subject'), DEFAULT_SUBJECT);
    await page.getByText('Default wording', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Insert {{firstName}}' }).waitFor();
    await preview().getByText('Reset your Playground password', { exact: true }).waitFor();
    await page
      .frameLocator('iframe[title="HTML version of the preview"]')
      .getByText(/ada\.lovelace@example\.com/)
      .first()
      .waitFor();
  });

  it('follows each edit of the subject in the preview, an account field shown as [firstName]', async () => {
    const subject = field('Subject');
    await subject.fill('Hello , reset your {{siteName}} password');
    await preview().getByText('Hello , reset your Playground password', { exact: true }).waitFor();
    // The variable goes where the cursor was, after "Hello ".
    await subject.press('Home');
    for (let i = 0; i < 'Hello '.length; i++) await subject.press('ArrowRight');
    await page.getByRole('button', { name: 'Insert {{firstName}}' }).click();
    await expectValue(subject, SUBJECT);
    await preview().getByText('Hello [firstName], reset your Playground password', { exact: true }).waitFor();
    await page.getByText('Unsaved changes', { exact: true }).waitFor();
    await screenshotWhole('templates-preview');
  });

  it('asks before another language or a link elsewhere would lose the unsaved edit, and keeps it when told to', async () => {
    const dialog = page.getByRole('alertdialog');
    await choose('Language', 'Français');
    await dialog.getByText('Discard your changes?').waitFor();
    await browser.screenshot(page, 'templates-unsaved');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await waitGone(dialog);
    expect(await page.getByRole('combobox', { name: 'Language', exact: true }).textContent()).toContain('English');
    await expectValue(field('Subject'), SUBJECT);

    await page.locator('a[href="/admin/settings/password-reset"]').click();
    await dialog.getByText('Discard your changes?').waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await waitGone(dialog);
    expect(page.url()).toMatch(/\/admin\/settings\/password-reset-templates$/);
    await expectValue(field('Subject'), SUBJECT);
    await page.getByText('Unsaved changes', { exact: true }).waitFor();
  });

  it('refuses a value inserted unescaped, with the reason under the HTML, and stores nothing', async () => {
    const before = await storedTemplates();
    const html = field('HTML');
    const shipped = await html.inputValue();
    await html.fill(`${shipped}\n<p>Signed in as {{{username}}}</p>`);
    await page.getByText('{{{username}}} would insert a value unescaped: write {{name}}, every value is escaped.').waitFor();

    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Not saved: fix the problems shown under the fields.').waitFor();
    await screenshotWhole('templates-refused');
    expect(await storedTemplates()).toEqual(before);
    expect(await html.getAttribute('aria-invalid')).toBe('true');

    await html.fill(`${shipped}\n<p>Signed in as {{username}}</p>`);
    await waitGone(page.getByText(/would insert a value unescaped/));
  });

  it('saves the fixed template: stored, and shown as customized', async () => {
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Template saved.').waitFor();
    await page.getByText('Customized', { exact: true }).waitFor();
    const stored = (await storedTemplates()) as { en: { reset: { subject: string; html: string } } };
    expect(stored.en.reset.subject).toBe(SUBJECT);
    expect(stored.en.reset.html).toContain('<p>Signed in as {{username}}</p>');
    await browser.screenshot(page, 'templates-saved');
  });

  it('names the signed-in administrator’s address before sending a test, written with the sample values, there', async () => {
    const { smtp } = playground();
    const before = smtp.to(ADMIN_EMAIL).length;
    await page.getByRole('button', { name: 'Send a test to me' }).click();
    const dialog = page.getByRole('alertdialog');
    await dialog.getByText(`Send a test of this email to ${ADMIN_EMAIL}?`).waitFor();
    await browser.screenshot(page, 'templates-test-confirm');
    // Cancel sends nothing.
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(smtp.to(ADMIN_EMAIL)).toHaveLength(before);

    await page.getByRole('button', { name: 'Send a test to me' }).click();
    await dialog.getByRole('button', { name: 'Send the test' }).click();
    await page.getByText(`Test email sent to ${ADMIN_EMAIL}.`).waitFor();
    const [test] = await smtp.waitFor(ADMIN_EMAIL);
    expect(test.subject).toBe('Hello [firstName], reset your Playground password');
    expect(test.html).toContain('<p>Signed in as ada</p>');
    expect(test.text).toContain('/password-reset/reset');
  });

  it('words the next real reset email with the new subject, the account’s own first name in it', async () => {
    const { accounts, http, settle, smtp, strapi } = playground();
    const account = await accounts.create('activated');
    await strapi.db.query(USERS).update({ where: { id: account.id }, data: { firstName: 'Grace' } });
    expect((await http().post('/api/password-reset/forgot-password').send({ email: account.email })).status).toBe(200);
    await settle();
    const [message] = await smtp.waitFor(account.email);
    expect(message.subject).toBe('Hello Grace, reset your Playground password');
    expect(message.html).toContain(`<p>Signed in as ${account.username}</p>`);
    expect(message.links.some((link) => link.includes('/password-reset/reset'))).toBe(true);
  });

  it('goes back to the default wording once the administrator confirms', async () => {
    await page.getByRole('button', { name: 'Reset to default' }).click();
    const dialog = page.getByRole('alertdialog');
    await dialog.getByText('Go back to the default wording?').waitFor();
    await browser.screenshot(page, 'templates-reset-confirm');
    await dialog.getByRole('button', { name: 'Reset to default' }).click();
    await page.getByText('Default wording restored.').waitFor();

    await expectValue(field('Subject'), DEFAULT_SUBJECT);
    await page.getByText('Default wording', { exact: true }).waitFor();
    await preview().getByText('Reset your Playground password', { exact: true }).waitFor();
    expect(((await storedTemplates()) as { en: Record<string, unknown> }).en.reset).toBeUndefined();
    await browser.screenshot(page, 'templates-reset');
  });

  it('speaks French to a French-speaking administrator, the reasons included', async () => {
    const { baseUrl } = playground();
    await logInAdmin(page, baseUrl, ADMIN_EMAIL, { language: 'fr' });
    await page.goto(`${baseUrl}/admin/settings/password-reset-templates`);
    await page.getByRole('heading', { name: 'E-mails de réinitialisation' }).waitFor();
    await choose('E-mail', 'Mot de passe changé');
    await choose('Langue', 'Français');
    await expectValue(field('Objet'), 'Votre mot de passe {{siteName}} a été changé');
    await field('Objet').fill('Votre mot de passe {{siteName}} a été changé, {{prenom}}');
    await page.getByText("Cet e-mail n'a pas de variable « prenom ».").waitFor();
    // A variable the email does not have is written as nothing.
    await preview('Aperçu').getByText('Votre mot de passe Playground a été changé,', { exact: true }).waitFor();
    await screenshotWhole('templates-french');

    // Another language replaces the edit once the administrator gives it up.
    await choose('Langue', 'English');
    const dialog = page.getByRole('alertdialog');
    await dialog.getByText('Abandonner vos modifications ?').waitFor();
    await dialog.getByRole('button', { name: 'Abandonner les modifications' }).click();
    await expectValue(field('Objet'), 'Your {{siteName}} password was changed');
  });

  it('logged no errors in the browser console, and only the refused save failed', () => {
    // MISSING_TRANSLATION lines are Strapi's own French gaps, not ours; every other error counts, and any of ours.
    expect(browser.problems.filter((problem) => !problem.includes('MISSING_TRANSLATION') || problem.includes('password-reset.'))).toEqual(
      [],
    );
    expect(browser.failedRequests.filter((request) => request.includes('/password-reset/'))).toEqual([
      expect.stringMatching(/^PUT .*\/password-reset\/templates\/en\/reset 400$/),
    ]);
  });
});

/** Picks an option of a design-system select, found by its label. */
async function choose(label: string, option: string) {
  await page.getByRole('combobox', { name: label, exact: true }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

/** The admin panel scrolls inside its layout, so a full-page shot is one screen: show the whole editor on a tall one. */
async function screenshotWhole(name: string) {
  const size = page.viewportSize();
  await page.setViewportSize({ width: 1280, height: 1500 });
  await browser.screenshot(page, name);
  if (size) await page.setViewportSize(size);
}

async function waitGone(locator: Locator) {
  await locator.first().waitFor({ state: 'detached' });
}
