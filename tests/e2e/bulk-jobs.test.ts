// An administrator sends activation codes to a page of a hundred accounts from the list of Users, in headless Chromium: the
// dialog says beforehand how many will be sent a code and why the others will not, the send runs as a job whose
// progress bar moves, its results list the failures first, download as CSV and can be retried, and the Password
// reset page lists the job as done.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { usePlayground } from '../helpers/strapi';
import { logInAdmin, SCREENSHOT_DIR, startBrowser } from '../helpers/browser';
import { JOB_CSV_COLUMNS } from '../../shared/contracts';

const USERS = 'plugin::users-permissions.user';
/** Accounts in the database; the list shows the first PAGE of them. */
const ACCOUNTS = 200;
/**
 * "Select all entries" selects the rows of the page shown, so the administrator selects one full page of the
 * Content Manager's largest page size: ten times `bulk.inlineLimit` (set to 10 below), well into job territory. A
 * page of 1,000 rows (the most its document manager answers) took over a minute to render on a loaded CI machine.
 */
const PAGE = 100;
const INLINE_LIMIT = 10;
/** Among the selected accounts: blocked ones (skipped), ones sent a code minutes ago (skipped), and ones whose mail server refuses the email (failed). */
const BLOCKED = 5;
const RECENT = 2;
const REFUSED = 3;

const refused = new Set<string>();
const playground = usePlayground({
  adminPanel: true,
  // A little latency per message, so that the job lasts a few seconds and its progress can be watched.
  smtp: { delayMs: 150, rejectTo: (address) => refused.has(address) },
  config: { bulk: { inlineLimit: INLINE_LIMIT } },
});
let browser: Awaited<ReturnType<typeof startBrowser>>;
let page: Page;

jest.setTimeout(300000);

beforeAll(async () => {
  browser = await startBrowser();
  page = await browser.newPage();
}, 60000);
afterAll(async () => {
  await browser?.close();
});

/**
 * A viewport screenshot: with a hundred rows behind the dialog, a full-page one would be thousands of
 * pixels tall with the dialog lost in its middle.
 */
const screenshot = (name: string) => page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), animations: 'disabled' });

/** Many accounts written straight to the database, with the authenticated role (createMany writes no relations). */
async function manyAccounts(count: number) {
  const { strapi } = playground();
  const role = await strapi.db.query('plugin::users-permissions.role').findOne({ where: { type: 'authenticated' } });
  const stamp = randomBytes(3).toString('hex');
  const rows = Array.from({ length: count }, (_, i) => ({
    documentId: randomBytes(12).toString('hex'),
    username: `bulk-${stamp}-${String(i).padStart(4, '0')}`,
    email: `bulk-${stamp}-${String(i).padStart(4, '0')}@example.test`,
    provider: 'local',
    confirmed: false,
    blocked: false,
  }));
  for (let start = 0; start < rows.length; start += 500) {
    await strapi.db.query(USERS).createMany({ data: rows.slice(start, start + 500) });
  }
  const users: Array<{ id: number; email: string }> = await strapi.db
    .query(USERS)
    .findMany({ select: ['id', 'email'], where: { username: { $startsWith: `bulk-${stamp}-` } }, orderBy: { id: 'asc' } });
  const { joinTable } = strapi.db.metadata.get(USERS).attributes.role as unknown as {
    joinTable: { name: string; joinColumn: { name: string }; inverseJoinColumn: { name: string } };
  };
  for (let start = 0; start < users.length; start += 500) {
    await strapi.db
      .getConnection(joinTable.name)
      .insert(
        users
          .slice(start, start + 500)
          .map((user) => ({ [joinTable.joinColumn.name]: user.id, [joinTable.inverseJoinColumn.name]: role.id })),
      );
  }
  return users;
}

const logIn = (email: string) => logInAdmin(page, playground().baseUrl, email);

describe('a bulk send of activation codes as a job', () => {
  let selected: Array<{ id: number; email: string }>;
  let refusedEmails: string[];

  beforeAll(async () => {
    const { strapi, admins, http, smtp } = playground();
    const { token } = await admins.loginSuperAdmin();
    const users = await manyAccounts(ACCOUNTS);
    expect(users).toHaveLength(ACCOUNTS);
    selected = users.slice(0, PAGE);

    // Spread the special accounts through the page rather than bunching them at its start.
    const pick = (from: number, count: number) => Array.from({ length: count }, (_, i) => selected[from + i * 17]);
    const blocked = pick(10, BLOCKED);
    const recent = pick(20, RECENT);
    refusedEmails = pick(30, REFUSED).map((user) => user.email);
    refusedEmails.forEach((email) => refused.add(email));
    await strapi.db.query(USERS).updateMany({ where: { id: { $in: blocked.map((user) => user.id) } }, data: { blocked: true } });
    // Two accounts get a code now, through the admin route, as a small send answered at once.
    const sent = await http()
      .post('/password-reset/codes')
      .set('Authorization', `Bearer ${token}`)
      .send({ userIds: recent.map((user) => user.id) });
    expect(sent.status).toBe(200);
    expect(sent.body.summary).toMatchObject({ sent: RECENT, failed: 0 });
    for (const user of recent) await smtp.waitFor(user.email);
    smtp.clear();
  }, 120000);

  it('says beforehand what the send will do, then shows the job’s progress and its results, failures first', async () => {
    const { baseUrl, smtp } = playground();
    await logIn('super@admin.test');
    await page.goto(`${baseUrl}/admin/content-manager/collection-types/${USERS}?page=1&pageSize=${PAGE}&sort=id:ASC`);
    await page.getByRole('row', { name: new RegExp(selected[PAGE - 1].email) }).waitFor({ timeout: 60000 });
    await page.getByRole('checkbox', { name: 'Select all entries' }).check();
    await page.getByText(new RegExp(`${PAGE.toLocaleString('en')} (entries|rows) selected`)).waitFor();
    await screenshot('bulk-jobs-selected');

    await page.getByRole('button', { name: 'Send activation code' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText(`Generate activation codes for ${PAGE.toLocaleString('en')} accounts?`).waitFor();
    const willSend = PAGE - BLOCKED - RECENT;
    await dialog.getByText(`${willSend} accounts will be sent a code. ${BLOCKED + RECENT} will be skipped:`).waitFor({ timeout: 30000 });
    const reasons = dialog.getByRole('list', { name: 'Why accounts were skipped' });
    await reasons.getByText(`${BLOCKED} accounts: the account is blocked.`).waitFor();
    await reasons.getByText(`${RECENT} accounts: a code was sent to this account in the last few minutes.`).waitFor();
    await screenshot('bulk-jobs-dry-run');

    await dialog.getByRole('button', { name: 'Generate codes' }).click();
    const progress = dialog.getByRole('progressbar', { name: /Progress of job #\d+/ });
    await progress.waitFor();
    // aria-valuenow, while the bar is shown (it gives way to the results when the job is done).
    const valueOf = async () => {
      const value = await progress.getAttribute('aria-valuenow', { timeout: 1000 }).catch(() => null);
      return value === null ? null : Number(value);
    };
    const first = (await valueOf()) as number;
    await screenshot('bulk-jobs-progress');
    // The bar moves while the job runs (the dialog asks for the job's counts once a second).
    const seen = [first];
    for (const deadline = Date.now() + 60000; Date.now() < deadline; ) {
      const value = await valueOf();
      if (value === null) break;
      if (value !== seen[seen.length - 1]) seen.push(value);
      if (value > first && seen.length >= 3) break;
      await page.waitForTimeout(200);
    }
    expect(seen.length).toBeGreaterThan(1);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
    await screenshot('bulk-jobs-progress-later');

    const sent = willSend - REFUSED;
    await dialog.getByText(`${sent} sent, ${BLOCKED + RECENT} skipped, ${REFUSED} failed.`).waitFor({ timeout: 120000 });
    expect(await dialog.getByRole('progressbar').count()).toBe(0);
    const items = dialog.getByRole('grid', { name: /Accounts of job #\d+, failures first/ });
    const rows = items.getByRole('row');
    await rows.nth(REFUSED + BLOCKED + RECENT).waitFor();
    // Failures first, each with its address and the mail server's refusal; then the skipped accounts with the reason.
    const failedRows = await Promise.all(Array.from({ length: REFUSED }, (_, i) => rows.nth(i + 1).innerText()));
    for (const [i, text] of failedRows.entries()) {
      expect(text).toContain(refusedEmails[i]);
      expect(text).toMatch(/failed/i);
      expect(text).toContain('the email was not accepted');
    }
    const skippedRows = await Promise.all(Array.from({ length: BLOCKED + RECENT }, (_, i) => rows.nth(REFUSED + i + 1).innerText()));
    expect(skippedRows.every((text) => /skipped/i.test(text))).toBe(true);
    expect(skippedRows.filter((text) => text.includes('the account is blocked.'))).toHaveLength(BLOCKED);
    await screenshot('bulk-jobs-done');
    // The rest come twenty to a page, sent ones last.
    await dialog.getByRole('button', { name: 'Next' }).click();
    await dialog.getByText(`Page 2 of ${PAGE / 20} · ${PAGE.toLocaleString('en')} accounts`).waitFor();
    expect(await rows.nth(1).innerText()).toMatch(/sent/i);
    await screenshot('bulk-jobs-done-page-2');
    expect(smtp.messages.length).toBe(sent);

    const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByRole('button', { name: 'Download CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(/\.csv$/);
    const lines = readFileSync((await download.path()) as string, 'utf8')
      .split('\r\n')
      .filter(Boolean);
    expect(lines[0]).toBe(JOB_CSV_COLUMNS.map((column) => `"${column}"`).join(','));
    expect(lines).toHaveLength(PAGE + 1);
    expect(lines[1]).toContain(refusedEmails[0]);
    expect(lines.filter((line) => line.includes(',"sent",'))).toHaveLength(sent);

    // The mail server takes the refused addresses now: a retry sends to the three that failed, answered at once.
    refused.clear();
    await dialog.getByRole('button', { name: 'Retry failed' }).click();
    await dialog.getByText(`${REFUSED} sent, 0 skipped, 0 failed.`).waitFor({ timeout: 30000 });
    for (const email of refusedEmails) await smtp.waitFor(email);
    await screenshot('bulk-jobs-retried');
    await dialog.getByRole('button', { name: 'Close', exact: true }).click();
  });

  it('lists the job as done on the Password reset page, and opens it to its results', async () => {
    const { baseUrl } = playground();
    await page.goto(`${baseUrl}/admin/plugins/password-reset`);
    await page.getByRole('heading', { name: 'Recent jobs' }).waitFor();
    const jobs = page.getByRole('grid', { name: 'Recent jobs' });
    const row = jobs.getByRole('row').nth(1);
    await row.getByText('Done').waitFor();
    const text = await row.innerText();
    expect(text).toContain('Administrator #1');
    expect(text).toContain(PAGE.toLocaleString('en'));
    expect(text).toContain(String(PAGE - BLOCKED - RECENT - REFUSED));
    await browser.screenshot(page, 'bulk-jobs-page');

    await row.getByRole('button', { name: /Open job #\d+/ }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText(`${PAGE - BLOCKED - RECENT - REFUSED} sent, ${BLOCKED + RECENT} skipped, ${REFUSED} failed.`).waitFor();
    await dialog
      .getByRole('grid', { name: /failures first/ })
      .getByText(refusedEmails[0], { exact: true })
      .waitFor();
    await browser.screenshot(page, 'bulk-jobs-page-dialog');
    await dialog.getByRole('button', { name: 'Close', exact: true }).click();
  });

  it('lets an administrator who may only send codes open the page: their own jobs only, no audit log', async () => {
    const { baseUrl, admins } = playground();
    const sender = await admins.loginAdminWith(['plugin::password-reset.send-code']);
    await logIn(sender.email);
    await page.getByRole('link', { name: 'Password reset' }).click();
    await page.waitForURL(`${baseUrl}/admin/plugins/password-reset`);
    // The super admin's job is not theirs to read.
    await page.getByText('The jobs you started. Administrators holding “Read all jobs” see every job.').waitFor();
    await page.getByText('No bulk send has run as a job yet.').waitFor();
    expect(await page.getByRole('heading', { name: 'Check a support PIN' }).count()).toBe(0);
    expect(await page.getByRole('grid').count()).toBe(0);
    await browser.screenshot(page, 'bulk-jobs-page-sender');

    const reader = await admins.loginAdminWith(['plugin::password-reset.send-code', 'plugin::password-reset.read-all-jobs']);
    await logIn(reader.email);
    await page.goto(`${baseUrl}/admin/plugins/password-reset`);
    await page.getByRole('grid', { name: 'Recent jobs' }).getByRole('row').nth(1).getByText('Done').waitFor();
    expect(await page.getByText('The jobs you started.', { exact: false }).count()).toBe(0);
    expect(await page.getByRole('grid').count()).toBe(1);
    await browser.screenshot(page, 'bulk-jobs-page-reader');
  });

  it('logged no errors in the browser console, and none of the plugin’s requests failed', () => {
    expect(browser.problems).toEqual([]);
    expect(browser.failedRequests.filter((request) => request.includes('/password-reset/'))).toEqual([]);
  });
});
