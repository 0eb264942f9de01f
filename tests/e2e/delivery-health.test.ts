// An administrator opens the plugin's page in the real admin panel (headless Chromium) while the mail server
// refuses emails: the Delivery panel says so in plain words and lists the visitors' failed emails, with the
// address of an owner account only for an administrator allowed to manage owners.
import type { Page } from 'playwright-core';
import { usePlayground } from '../helpers/strapi';
import { logInAdmin, startBrowser } from '../helpers/browser';
import type { TestAccount } from '../helpers/accounts';

const playground = usePlayground({ adminPanel: true });
let browser: Awaited<ReturnType<typeof startBrowser>>;
let page: Page;
let regular: TestAccount;
let owner: TestAccount;

jest.setTimeout(120000);

beforeAll(async () => {
  const { accounts, admins, http, settle, smtp } = playground();
  await admins.loginSuperAdmin();
  regular = await accounts.create('activated');
  owner = await accounts.create('owner');
  smtp.behaviour.rejectWith = 550;
  for (const { email } of [regular, owner]) await http().post('/api/password-reset/forgot-password').send({ email });
  await settle();
  smtp.behaviour.rejectWith = undefined;

  browser = await startBrowser();
  page = await browser.newPage();
  await page.setViewportSize({ width: 1440, height: 900 });
}, 120000);
afterAll(async () => {
  await browser?.close();
});

describe('the Delivery panel', () => {
  it('shows a super admin the failures of the last day, with a warning and both visitors’ addresses', async () => {
    const { baseUrl } = playground();
    await logInAdmin(page, baseUrl, 'super@admin.test');
    await page.goto(`${baseUrl}/admin/plugins/password-reset`);
    await page.getByRole('heading', { name: 'Delivery' }).waitFor();
    const failures = page.getByRole('grid', { name: 'Recent failures' });
    const regularRow = failures.getByRole('row').filter({ hasText: regular.email });
    await regularRow.waitFor();
    const regularText = await regularRow.innerText();
    expect(regularText).toContain('Visitor’s request');
    expect(regularText).toContain('Refused by the mail server');
    expect(regularText).toContain('550');
    expect(regularText).toContain('Failed for good');
    await failures.getByText(owner.email, { exact: true }).waitFor();
    await page.getByText('2 emails failed for good in the last 24 hours').waitFor();
    await page.getByText('Needs attention').waitFor();
    // The column headers are real table headers.
    expect(await failures.getByRole('columnheader').allInnerTexts()).toEqual(
      expect.arrayContaining(['WHEN', 'EMAIL ADDRESS', 'FAILURE', 'OUTCOME'].map((text) => expect.stringMatching(new RegExp(text, 'i')))),
    );
    await browser.screenshot(page, 'delivery-health-1440');
  });

  it('hides the owner’s address from an administrator who reads the audit log but may not manage owners', async () => {
    const { baseUrl, admins } = playground();
    const reader = await admins.loginAdminWith(['plugin::password-reset.read-audit']);
    await logInAdmin(page, baseUrl, reader.email);
    await page.goto(`${baseUrl}/admin/plugins/password-reset`);
    const failures = page.getByRole('grid', { name: 'Recent failures' });
    await failures.getByText(regular.email, { exact: true }).waitFor();
    await failures.getByText('Hidden: an account you may not manage').waitFor();
    expect(await failures.getByText(owner.email).count()).toBe(0);
    // The Refresh button asks again.
    const [response] = await Promise.all([
      page.waitForResponse((res) => res.url().endsWith('/password-reset/health')),
      page.getByRole('button', { name: 'Refresh' }).click(),
    ]);
    expect(response.status()).toBe(200);
    await browser.screenshot(page, 'delivery-health-reader-1440');
  });

  it('logged no errors in the browser console, and none of the plugin’s requests failed', () => {
    expect(browser.problems).toEqual([]);
    expect(browser.failedRequests.filter((request) => request.includes('/password-reset/'))).toEqual([]);
  });
});
