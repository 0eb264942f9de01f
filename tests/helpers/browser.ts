// Debian's Chromium, driven by playwright-core, headless, with a fresh profile; and screenshots under test-output/.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { ADMIN_PASSWORD } from './admins';

export const SCREENSHOT_DIR = resolve(__dirname, '..', '..', 'test-output', 'screenshots');

export async function startBrowser() {
  const profile = mkdtempSync(join(tmpdir(), 'password-reset-chromium-'));
  const context: BrowserContext = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
  // Everything a page logs as an error (script errors, CSP violations, React warnings), and every request that
  // failed or was answered with an error status, with its URL — Chromium's own console line for those names none.
  const problems: string[] = [];
  const failedRequests: string[] = [];
  const watch = (page: Page) => {
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('requestfailed', (request) =>
      failedRequests.push(`${request.method()} ${request.url()} ${request.failure()?.errorText ?? ''}`),
    );
    page.on('response', (response) => {
      if (response.status() >= 400) failedRequests.push(`${response.request().method()} ${response.url()} ${response.status()}`);
    });
  };
  context.pages().forEach(watch);
  context.on('page', watch);
  // Tests talk to this machine only: anything addressed elsewhere is aborted before it leaves the browser.
  await context.route(/^https?:\/\/(?!(127\.0\.0\.1|localhost)[:/])/, (route) => route.abort('blockedbyclient'));

  return {
    context,
    problems,
    failedRequests,
    async newPage() {
      const page = context.pages()[0] ?? (await context.newPage());
      return page;
    },
    async screenshot(page: Page, name: string) {
      mkdirSync(SCREENSHOT_DIR, { recursive: true });
      await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true, animations: 'disabled' });
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Log an administrator into the admin panel from a clean slate (no cookie, no stored token), in a language the
 * playground offers (`en`, `fr`: Strapi keeps the choice in localStorage).
 */
export async function logInAdmin(page: Page, baseUrl: string, email: string, { language = 'en' } = {}) {
  await page.context().clearCookies();
  await page.goto(`${baseUrl}/admin/auth/login`);
  await page.evaluate(`localStorage.clear(); sessionStorage.clear(); localStorage.setItem('strapi-admin-language', '${language}');`);
  await page.goto(`${baseUrl}/admin/auth/login`);
  await page.locator('input[name="email"]').fill(email);
  await page.locator('input[name="password"]').fill(ADMIN_PASSWORD);
  await page.locator('button[type="submit"]').click();
  await page.waitForURL(/\/admin(\/)?$/, { timeout: 30000 });
}

/** Waits (up to 5 s) for a field to hold `value`, which a page may fill in after it appears; then asserts it. */
export async function expectValue(locator: Locator, value: string) {
  await locator.waitFor();
  for (let i = 0; i < 50 && (await locator.inputValue()) !== value; i++) await new Promise((resolve) => setTimeout(resolve, 100));
  expect(await locator.inputValue()).toBe(value);
}
