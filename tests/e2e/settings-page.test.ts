// An administrator opens Settings → Password reset in the real admin panel, shortens the reset link lifetime,
// saves, and finds the new value after reloading the page; a bad value is refused on the form.
import type { Page } from 'playwright-core';
import { usePlayground } from '../helpers/strapi';
import { logInAdmin, startBrowser } from '../helpers/browser';

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
      .getByText(/must not be greater than passwordPolicy.maxBytes/)
      .first()
      .waitFor();
    await browser.screenshot(page, 'settings-refused');
    expect(await strapi.store({ type: 'plugin', name: 'password-reset' }).get({ key: 'settings' })).toEqual(stored);
  });
});

async function expectValue(locator: ReturnType<Page['getByLabel']>, value: string) {
  await locator.waitFor();
  for (let i = 0; i < 50 && (await locator.inputValue()) !== value; i++) await new Promise((resolve) => setTimeout(resolve, 100));
  expect(await locator.inputValue()).toBe(value);
}
