// A visitor uses the plugin's own pages in a real browser: asks for a link, opens it from the email,
// chooses a password, and logs in with it.
import { usePlayground } from '../helpers/strapi';
import { startBrowser } from '../helpers/browser';
import { strongPassword } from '../helpers/accounts';
import { tokenFromLink } from '../helpers/smtp';

const playground = usePlayground();
let browser: Awaited<ReturnType<typeof startBrowser>>;

beforeAll(async () => {
  browser = await startBrowser();
}, 60000);
afterAll(async () => {
  await browser?.close();
});

jest.setTimeout(60000);

describe('the forgotten-password and set-password pages', () => {
  it('take a visitor from "I forgot" to logging in with a new password', async () => {
    const { baseUrl, accounts, smtp, settle, admins } = playground();
    const account = await accounts.create('activated');
    const page = await browser.newPage();

    await page.goto(`${baseUrl}/password-reset/forgot`);
    await browser.screenshot(page, 'forgot-page');
    await page.getByLabel('Email address').fill(account.email);
    await page.getByRole('button', { name: 'Send me a link' }).click();
    await page.getByText('a link is on its way').waitFor();
    await browser.screenshot(page, 'forgot-page-sent');

    await settle();
    const [message] = await smtp.waitFor(account.email);
    const link = message.links[0];
    expect(link.startsWith(`${baseUrl}/password-reset/reset#token=`)).toBe(true);

    await page.goto(link);
    await page.getByLabel('New password', { exact: true }).waitFor();
    await page.getByLabel('New password', { exact: true }).fill('password123');
    await page.getByLabel('Repeat the new password').fill('password123');
    await page.getByRole('button', { name: 'Set my password' }).click();
    const error = page.getByRole('alert').filter({ hasText: 'commonly used password' });
    await error.waitFor();
    await browser.screenshot(page, 'reset-page-refused');

    const password = strongPassword();
    await page.getByLabel('New password', { exact: true }).fill(password);
    await page.getByLabel('Repeat the new password').fill(password);
    await page.getByRole('button', { name: 'Set my password' }).click();
    await page.getByText('Your password has been changed').waitFor();
    await browser.screenshot(page, 'reset-page-done');
    // The token is gone from the address bar once used.
    expect(page.url()).toBe(`${baseUrl}/password-reset/reset`);

    expect((await admins.loginAccount(account.email, password)).status).toBe(200);
    expect((await admins.loginAccount(account.email, account.password)).status).toBe(400);

    // The same link again: the page says it is used up and offers a new request.
    await page.goto('about:blank');
    await page.goto(link);
    await page.getByText('This link is invalid, has already been used, or has expired.').waitFor();
    const again = page.getByRole('link', { name: 'Ask for a new link' });
    expect(await again.getAttribute('href')).toBe(`${baseUrl}/password-reset/forgot`);
    await browser.screenshot(page, 'reset-page-used-link');

    // No script error or CSP violation; the one failed request is the 400 that refused the common password.
    expect(browser.problems).toEqual([]);
    expect(browser.failedRequests).toEqual([`POST ${baseUrl}/api/password-reset/reset 400`]);
  });

  it('speak French to a French browser, and the email speaks the account’s French', async () => {
    const { baseUrl, accounts, smtp, settle, strapi } = playground();
    const account = await accounts.create('activated');
    await strapi.db.query('plugin::users-permissions.user').update({ where: { id: account.id }, data: { locale: 'fr' } });
    const page = await browser.newPage();
    await page.setExtraHTTPHeaders({ 'Accept-Language': 'fr-FR,fr;q=0.9' });
    try {
      await page.goto(`${baseUrl}/password-reset/forgot`);
      await page.getByLabel('Adresse e-mail').fill(account.email);
      await page.getByRole('button', { name: 'M’envoyer un lien' }).click();
      await page.getByText('un lien est en route').waitFor();
      await browser.screenshot(page, 'forgot-page-fr');

      await settle();
      const [message] = await smtp.waitFor(account.email);
      expect(message.subject).toBe('Réinitialisez votre mot de passe Playground');
      await page.goto(message.links[0]);
      await page.getByText('Au moins 12 caractères').waitFor();
      // The policy's refusal is in French too, with the limit the server applied.
      await page.getByLabel('Nouveau mot de passe', { exact: true }).fill('Soleil');
      await page.getByLabel('Répétez le nouveau mot de passe').fill('Soleil');
      await page.getByRole('button', { name: 'Enregistrer mon mot de passe' }).click();
      await page.getByRole('alert').filter({ hasText: 'Le mot de passe doit contenir au moins 12 caractères.' }).waitFor();
      await page.getByLabel('Nouveau mot de passe', { exact: true }).fill('password1234');
      await page.getByLabel('Répétez le nouveau mot de passe').fill('password1234');
      await page.getByRole('button', { name: 'Enregistrer mon mot de passe' }).click();
      await page.getByRole('alert').filter({ hasText: 'Le mot de passe ne doit pas être un mot de passe courant.' }).waitFor();
      await browser.screenshot(page, 'reset-page-fr-refused');
      const password = strongPassword();
      await page.getByLabel('Nouveau mot de passe', { exact: true }).fill(password);
      await page.getByLabel('Répétez le nouveau mot de passe').fill(`${password}!`);
      await page.getByRole('button', { name: 'Enregistrer mon mot de passe' }).click();
      await page.getByText('Les deux mots de passe ne correspondent pas.').waitFor();
      await page.getByLabel('Répétez le nouveau mot de passe').fill(password);
      await page.getByRole('button', { name: 'Enregistrer mon mot de passe' }).click();
      await page.getByText('Votre mot de passe a été changé.').waitFor();
      await browser.screenshot(page, 'reset-page-fr-done');
    } finally {
      await page.setExtraHTTPHeaders({});
    }
  });

  it('take the code out of the address bar and the history as the set-password page loads, and keep the form on reload', async () => {
    const { baseUrl, accounts, smtp, settle, admins, http } = playground();
    const account = await accounts.create('activated');
    await http().post('/api/password-reset/forgot-password').send({ email: account.email });
    await settle();
    const [message] = await smtp.waitFor(account.email);
    const link = message.links[0];
    const token = tokenFromLink(link);
    const problemsBefore = browser.problems.length;
    const page = await browser.newPage();
    const cdp = await browser.context.newCDPSession(page);
    const historyUrls = async () =>
      ((await cdp.send('Page.getNavigationHistory')) as { entries: Array<{ url: string }> }).entries.map((entry) => entry.url);
    const storedCode = () => page.evaluate<string | null>(`sessionStorage.getItem('password-reset.code')`);

    await page.goto('about:blank');
    await page.goto(link);
    await page.getByLabel('New password', { exact: true }).waitFor();
    // Neither the address bar nor any entry of the tab's history holds the code; Back leads to the page before.
    expect(page.url()).toBe(`${baseUrl}/password-reset/reset`);
    expect(await page.evaluate<string>('location.href')).not.toContain(token);
    const urls = await historyUrls();
    expect(urls.slice(-2)).toEqual(['about:blank', `${baseUrl}/password-reset/reset`]);
    // The tab is shared with the tests above: none of their links is in its history either.
    expect(urls.filter((url) => url.includes(token) || url.includes('token='))).toEqual([]);
    expect(await storedCode()).toBe(token);

    // A reload (the address has no code any more) still offers the form, and the reset succeeds.
    await page.reload();
    await page.getByLabel('New password', { exact: true }).waitFor();
    const password = strongPassword();
    await page.getByLabel('New password', { exact: true }).fill(password);
    await page.getByLabel('Repeat the new password').fill(password);
    await page.getByRole('button', { name: 'Set my password' }).click();
    await page.getByText('Your password has been changed').waitFor();
    expect(await storedCode()).toBeNull();
    expect((await historyUrls()).filter((url) => url.includes('token='))).toEqual([]);
    expect((await admins.loginAccount(account.email, password)).status).toBe(200);

    // Once the code is used, a reload has nothing to offer.
    await page.reload();
    await page.getByText('This link is invalid, has already been used, or has expired.').waitFor();
    await cdp.detach();
    expect(browser.problems.slice(problemsBefore)).toEqual([]);
  });

  it('are served under Strapi’s default Content-Security-Policy, with no inline script', async () => {
    const { http } = playground();
    for (const path of ['/password-reset/forgot', '/password-reset/reset']) {
      const res = await http().get(path);
      expect(res.headers['content-security-policy']).toMatch(/script-src 'self'/);
      expect(res.text).not.toMatch(/<script(?![^>]*\bsrc=)/);
      expect(res.text).not.toMatch(/\son[a-z]+=/);
    }
  });
});
