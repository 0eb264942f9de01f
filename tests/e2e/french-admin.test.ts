// A French-speaking administrator in the real admin panel: the bulk send, an account's Password panel and the
// plugin's page speak French; the accounts' emails speak each account's own language, not the administrator's.
import type { Page } from 'playwright-core';
import { usePlayground } from '../helpers/strapi';
import { logInAdmin, startBrowser } from '../helpers/browser';
import type { TestAccount } from '../helpers/accounts';

const playground = usePlayground({ adminPanel: true });
const USERS = 'plugin::users-permissions.user';
let browser: Awaited<ReturnType<typeof startBrowser>>;
let page: Page;

jest.setTimeout(120000);

beforeAll(async () => {
  browser = await startBrowser();
  page = await browser.newPage();
}, 60000);
afterAll(async () => {
  await browser?.close();
});

describe('the admin panel in French', () => {
  let french: TestAccount;
  let english: TestAccount;

  beforeAll(async () => {
    const { accounts, admins, baseUrl, strapi } = playground();
    await admins.loginSuperAdmin();
    french = await accounts.create('not-activated');
    english = await accounts.create('activated');
    await strapi.db.query(USERS).update({ where: { id: french.id }, data: { locale: 'fr' } });
    await logInAdmin(page, baseUrl, 'super@admin.test', { language: 'fr' });
  });

  it('sends activation codes from the list of Users, in French', async () => {
    const { baseUrl, smtp } = playground();
    await page.goto(`${baseUrl}/admin/content-manager/collection-types/${USERS}`);
    for (const account of [french, english]) {
      await page
        .getByRole('row', { name: new RegExp(account.email) })
        .getByRole('checkbox')
        .check();
    }
    await page.getByRole('button', { name: "Envoyer un code d'activation" }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText("Générer des codes d'activation pour 2 comptes ?").waitFor();
    await dialog.getByText('2 comptes recevront un code.').waitFor();
    await browser.screenshot(page, 'admin-fr-bulk-confirm');
    await dialog.getByRole('button', { name: 'Générer les codes' }).click();
    await dialog.getByText('2 envoyé(s), 0 ignoré(s), 0 en échec.').waitFor();
    await browser.screenshot(page, 'admin-fr-bulk-result');

    // Each account is written to in its own language; the administrator's French is not the accounts'.
    expect((await smtp.waitFor(french.email))[0].subject).toBe('Choisissez votre mot de passe Playground');
    expect((await smtp.waitFor(english.email))[0].subject).toBe('Set your Playground password');
  });

  it('shows an account’s Password panel in French', async () => {
    await page.goto(`${playground().baseUrl}/admin/content-manager/collection-types/${USERS}/${english.documentId}`);
    await page.getByRole('button', { name: 'Envoyer un code' }).waitFor();
    await page.getByRole('button', { name: 'Définir le mot de passe' }).waitFor();
    await browser.screenshot(page, 'admin-fr-password-panel');
  });

  it('shows the plugin’s page in French', async () => {
    await page.goto(`${playground().baseUrl}/admin/plugins/password-reset`);
    await page.getByRole('heading', { name: 'Réinitialisation des mots de passe' }).waitFor();
    await page.getByText('Chaque code émis, utilisé, expiré ou révoqué').waitFor();
    // The audit rows' actor and details in French, with French spacing before the colon.
    const log = page.getByRole('grid');
    await log.getByText('Administrateur : Super Admin').first().waitFor();
    await log
      .getByText(/objet : activation/)
      .first()
      .waitFor();
    await browser.screenshot(page, 'admin-fr-plugin-page');
  });

  it('logged no errors in the browser console, and no message of the plugin is missing in French', () => {
    // Strapi 5.54's own French lacks some of its messages (the Content Manager's name, field labels): those
    // MISSING_TRANSLATION lines are Strapi's, not ours; every other error counts, and any of ours.
    const ours = browser.problems.filter((problem) => !problem.includes('MISSING_TRANSLATION') || problem.includes('password-reset.'));
    expect(ours).toEqual([]);
  });
});
