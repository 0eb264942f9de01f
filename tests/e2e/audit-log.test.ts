// An administrator reads the audit log in the real admin panel (headless Chromium): accounts by address, linked to
// the Content Manager, actors by name; filters by action; downloads the filtered rows as CSV and reads them back;
// and subscribes a Strapi webhook to the plugin's events from the plugin's page.
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { usePlayground } from '../helpers/strapi';
import { logInAdmin, startBrowser } from '../helpers/browser';
import { strongPassword, type TestAccount } from '../helpers/accounts';

const playground = usePlayground({ adminPanel: true });
let browser: Awaited<ReturnType<typeof startBrowser>>;
let page: Page;
let superToken: string;
let tokenName: string;
let issued: TestAccount;
let passwordSet: TestAccount;

jest.setTimeout(120000);

beforeAll(async () => {
  const { accounts, admins, http, strapi } = playground();
  superToken = (await admins.loginSuperAdmin()).token;
  issued = await accounts.create('not-activated');
  passwordSet = await accounts.create('activated');
  // A code sent by the super admin, one by an API token, and a password set now.
  const asSuper = (path: string) => http()[path.endsWith('/password') ? 'put' : 'post'](path).set('Authorization', `Bearer ${superToken}`);
  await asSuper('/password-reset/codes').send({ userIds: [issued.id] });
  const token = await admins.apiToken('full-access');
  tokenName = (await strapi.db.query('admin::api-token').findOne({ where: { id: token.id } })).name;
  await http().post(`/api/password-reset/users/${issued.id}/codes`).set('Authorization', `Bearer ${token.accessKey}`);
  await asSuper(`/password-reset/users/${passwordSet.id}/password`).send({ password: strongPassword() });
  const webhook = await http()
    .post('/admin/webhooks')
    .set('Authorization', `Bearer ${superToken}`)
    .send({ name: 'Service desk', url: 'http://127.0.0.1:9999/hook', headers: {}, events: ['entry.create'] });
  expect(webhook.status).toBe(201);

  browser = await startBrowser();
  page = await browser.newPage();
  await logInAdmin(page, playground().baseUrl, 'super@admin.test');
}, 120000);
afterAll(async () => {
  await browser?.close();
});

describe('the audit log in the admin panel', () => {
  it('names each account by address and username, and each actor by name', async () => {
    await page.goto(`${playground().baseUrl}/admin/plugins/password-reset`);
    const table = page.getByRole('grid');
    await table.getByRole('link', { name: passwordSet.email }).waitFor();
    const tokenRow = table
      .getByRole('row')
      .filter({ hasText: `API token: ${tokenName}` })
      .first();
    await tokenRow.getByRole('link', { name: issued.email }).waitFor();
    expect(await tokenRow.getByText(issued.username, { exact: true }).count()).toBe(1);
    expect(await table.getByText('Administrator: Super Admin').count()).toBeGreaterThan(0);
    await browser.screenshot(page, 'audit-log-names');
  });

  it('filters by action, and downloads exactly the filtered rows as CSV', async () => {
    await page.getByRole('combobox', { name: 'Action' }).click();
    await page.getByRole('option', { name: 'Password set now' }).click();
    const table = page.getByRole('grid');
    await page.getByText('Page 1 of 1 · 1 event').waitFor();
    expect(await table.getByText('Code issued').count()).toBe(0);
    await table.getByRole('link', { name: passwordSet.email }).waitFor();
    await browser.screenshot(page, 'audit-log-filtered');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^password-reset-audit-\d{4}-\d{2}-\d{2}\.csv$/);
    const lines = readFileSync((await download.path()) as string, 'utf8')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe(
      '"id","createdAt","action","accountId","accountEmail","accountUsername","actorType","actorId","actorName","ip","details"',
    );
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(`,"password.set","${passwordSet.id}","${passwordSet.email}","${passwordSet.username}","admin",`);
    expect(lines[1]).toContain(',"Super Admin",');
  });

  it('opens the account in the Content Manager from its address, with its Password panel', async () => {
    const statusLoaded = page.waitForResponse((response) => response.url().endsWith(`/password-reset/users/${passwordSet.id}/status`));
    await page.getByRole('grid').getByRole('link', { name: passwordSet.email }).click();
    await page.waitForURL(new RegExp(`/content-manager/collection-types/plugin::users-permissions.user/${passwordSet.documentId}`));
    await page.getByRole('textbox', { name: 'email' }).waitFor();
    expect(await page.getByRole('textbox', { name: 'email' }).inputValue()).toBe(passwordSet.email);
    // The panel has its state before the next test leaves the page (leaving earlier cancels that request).
    expect((await statusLoaded).status()).toBe(200);
    await page.getByText('Loading password state').waitFor({ state: 'detached' });
  });

  it('subscribes a Strapi webhook to the plugin’s events, keeping its other events', async () => {
    const { baseUrl, strapi } = playground();
    await page.goto(`${baseUrl}/admin/plugins/password-reset`);
    const panel = page.getByRole('group', { name: 'Service desk' });
    await panel.getByRole('checkbox', { name: 'Code issued' }).check();
    await panel.getByRole('checkbox', { name: 'Password set now' }).check();
    await page.getByRole('button', { name: 'Save events' }).click();
    await page.getByText('Saved.').waitFor();
    await browser.screenshot(page, 'audit-webhooks-panel');
    const [webhook] = await strapi.get('webhookStore').findWebhooks();
    expect([...webhook.events].sort()).toEqual(['entry.create', 'password-reset.code.issued', 'password-reset.password.set']);
  });

  it('logged no errors in the browser console, and none of the plugin’s requests failed', () => {
    expect(browser.problems).toEqual([]);
    expect(browser.failedRequests.filter((request) => /\/password-reset\/|\/admin\/webhooks/.test(request))).toEqual([]);
  });
});
