// An administrator opens Settings → Password reset in the real admin panel, shortens the reset link lifetime,
// saves, and finds the new value after reloading the page; each number states its range, and a value out of it
// is refused on the form; leaving the page
// with a change not saved asks first.
import type { Page } from 'playwright-core';
import { usePlayground } from '../helpers/strapi';
import { expectValue, logInAdmin, startBrowser } from '../helpers/browser';

const playground = usePlayground({ adminPanel: true });
let browser: Awaited<ReturnType<typeof startBrowser>>;
let page: Page;

jest.setTimeout(120000);

beforeAll(async () => {
  browser = await startBrowser();
  page = await browser.newPage();
  await playground().admins.loginSuperAdmin();
}, 60000);
afterAll(async () => {
  await browser?.close();
});

describe('Settings → Password reset', () => {
  it('changes the reset link lifetime, saves it, and shows it again after a reload', async () => {
    const { baseUrl, strapi } = playground();
    await logInAdmin(page, baseUrl, 'super@admin.test');
    await page.goto(`${baseUrl}/admin/settings`);
    await page.locator('a[href="/admin/settings/password-reset"]').click();
    await page.waitForURL(/\/admin\/settings\/password-reset$/);
    const lifetime = page.getByLabel('Reset link lifetime (hours)');
    await lifetime.waitFor();
    // Each number states the range the server accepts (shared/contracts/settings.ts), in words.
    for (const hint of ['From 5 minutes to 24 hours.', 'From 1 hour to 30 days.', 'From 8 to 72 characters.']) {
      await page.getByText(hint, { exact: true }).waitFor();
    }
    expect([await lifetime.getAttribute('min'), await lifetime.getAttribute('max')]).toEqual([String(5 / 60), '24']);
    await lifetime.fill('3');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Settings saved.').waitFor();
    await browser.screenshot(page, 'settings-saved');

    await page.reload();
    await expectValue(page.getByLabel('Reset link lifetime (hours)'), '3');
    const stored = await strapi.store({ type: 'plugin', name: 'password-reset' }).get({ key: 'settings' });
    expect(stored).toMatchObject({ 'codeTtlHours.reset': 3 });

    await page.getByLabel('Minimum password length').fill('500');
    await page.getByRole('button', { name: 'Save' }).click();
    await page
      .getByText(/must be a whole number of characters from 8 to 72/)
      .first()
      .waitFor();
    await browser.screenshot(page, 'settings-refused');
    expect(await strapi.store({ type: 'plugin', name: 'password-reset' }).get({ key: 'settings' })).toEqual(stored);
  });

  it('asks before a link elsewhere loses the unsaved change: stays when told to, leaves it unsaved when told to discard it', async () => {
    const { strapi } = playground();
    const stored = await strapi.store({ type: 'plugin', name: 'password-reset' }).get({ key: 'settings' });
    // The refused 500 is still in the form. The link is the settings menu's (Strapi's Back link may point there too).
    const templatesLink = page.getByRole('link', { name: 'Password reset emails', exact: true });
    const dialog = page.getByRole('alertdialog');
    await templatesLink.click();
    await dialog.getByText('Discard your changes?').waitFor();
    await browser.screenshot(page, 'settings-unsaved');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(page.url()).toMatch(/\/admin\/settings\/password-reset$/);
    expect(await page.getByLabel('Minimum password length').inputValue()).toBe('500');

    await templatesLink.click();
    await dialog.getByRole('button', { name: 'Discard changes' }).click();
    await page.waitForURL(/\/admin\/settings\/password-reset-templates$/);
    expect(await strapi.store({ type: 'plugin', name: 'password-reset' }).get({ key: 'settings' })).toEqual(stored);
    // Back on the page: what is stored (the default, 12), and nothing unsaved to ask about when leaving again.
    // The settings menu's link, by its name and address: Strapi's Back link on the templates page may point here
    // too, and the main menu has a "Password reset" link (the plugin's page).
    await page
      .getByRole('link', { name: 'Password reset', exact: true })
      .and(page.locator('a[href="/admin/settings/password-reset"]'))
      .click();
    await expectValue(page.getByLabel('Minimum password length'), '12');
    await templatesLink.click();
    await page.waitForURL(/\/admin\/settings\/password-reset-templates$/);
    expect(await dialog.count()).toBe(0);
  });
});
