// Emails and the public pages speak the account's language (ARCHITECTURE.md, "Languages"): the account's own
// field (`locale.userField`), then the visitor's Accept-Language, then the site's default; dates in that
// language and in the site's time zone. English and French are shipped.
import { usePlayground, startPlayground } from '../helpers/strapi';
import { strongPassword, type TestAccount } from '../helpers/accounts';
import { tokenFromLink } from '../helpers/smtp';

const playground = usePlayground({ config: { locale: { timeZone: 'Europe/Paris' } } });
const USERS = 'plugin::users-permissions.user';

async function account(locale: string | null): Promise<TestAccount> {
  const created = await playground().accounts.create('activated');
  if (locale)
    await playground()
      .strapi.db.query(USERS)
      .update({ where: { id: created.id }, data: { locale } });
  return created;
}

async function askForLink(email: string, acceptLanguage?: string) {
  const { http, smtp, settle } = playground();
  let req = http().post('/api/password-reset/forgot-password');
  if (acceptLanguage) req = req.set('Accept-Language', acceptLanguage);
  expect((await req.send({ email })).status).toBe(200);
  await settle();
  const [message] = await smtp.waitFor(email);
  return message;
}

// "23 nov. 2026, 16:37 UTC+1": Paris in winter; UTC+2 in summer.
const FRENCH_DATE = /\d{1,2} [a-zéû.]+ \d{4}, \d{2}:\d{2} UTC\+[12]/;

describe('a reset link', () => {
  it('is in French for an account whose field says fr, whatever the browser asks', async () => {
    const french = await account('fr');
    const message = await askForLink(french.email, 'en-US,en;q=0.9');
    expect(message.subject).toBe('Réinitialisez votre mot de passe Playground');
    expect(message.text).toContain('Pour choisir un nouveau mot de passe, ouvrez ce lien');
    expect(message.text).toMatch(new RegExp(`expire dans 1 heure, le ${FRENCH_DATE.source}`));
    expect(message.html).toContain('Choisir un nouveau mot de passe');
  });

  it('follows the visitor’s Accept-Language when the account names no language', async () => {
    const plain = await account(null);
    const message = await askForLink(plain.email, 'de-CH, fr-CA;q=0.8, en;q=0.5');
    expect(message.subject).toBe('Réinitialisez votre mot de passe Playground');
  });

  it('keeps each visitor’s own language when their requests are written to the outbox together', async () => {
    const { strapi, smtp, settle } = playground();
    const french = await account(null);
    const other = await account(null);
    // Two visitors' requests in the same instant share one INSERT, which runs in the first request's context.
    const recovery = strapi.plugin('password-reset').service('recovery');
    const visitor = { type: 'visitor', id: null, ip: '127.0.0.1' };
    const frenchRequest = { request: { header: { 'accept-language': 'fr' } } };
    await Promise.all([
      strapi.requestContext.run(frenchRequest as never, () => recovery.requestReset(french.email, visitor)),
      strapi.requestContext.run({ request: { header: {} } } as never, () => recovery.requestReset(other.email, visitor)),
    ]);
    await settle();
    expect((await smtp.waitFor(french.email))[0].subject).toBe('Réinitialisez votre mot de passe Playground');
    expect((await smtp.waitFor(other.email))[0].subject).toBe('Reset your Playground password');
  });

  it('falls back to the default language, with the date in the site’s time zone', async () => {
    const plain = await account('de');
    const message = await askForLink(plain.email, 'de-DE');
    expect(message.subject).toBe('Reset your Playground password');
    expect(message.text).toMatch(/expires in 1 hour, on \d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2} CES?T/);
  });
});

describe('emails an administrator causes', () => {
  it('speak the account’s language, never the administrator’s browser’s', async () => {
    const { http, smtp, admins, settle } = playground();
    const { token } = await admins.loginSuperAdmin();
    const french = await account('fr');
    const plain = await account(null);
    const res = await http()
      .post('/password-reset/codes')
      .set('Authorization', `Bearer ${token}`)
      .set('Accept-Language', 'fr-FR')
      .send({ userIds: [french.id, plain.id] });
    expect(res.status).toBe(200);
    await settle();
    expect((await smtp.waitFor(french.email))[0].subject).toBe('Choisissez votre mot de passe Playground');
    expect((await smtp.waitFor(plain.email))[0].subject).toBe('Set your Playground password');
  });
});

describe('the password-changed notice', () => {
  it('is in the account’s language, with the moment written in it', async () => {
    const { http, smtp, settle } = playground();
    const french = await account('fr');
    const link = await askForLink(french.email);
    const password = strongPassword();
    const reset = await http()
      .post('/api/password-reset/reset')
      .send({ token: tokenFromLink(link.links[0]), password, passwordConfirmation: password });
    expect(reset.status).toBe(200);
    await settle();
    const notice = (await smtp.waitFor(french.email, 2)).find((message) => message.subject.includes('a été changé'));
    expect(notice?.subject).toBe('Votre mot de passe Playground a été changé');
    expect(notice?.text).toMatch(new RegExp(`a été changé le ${FRENCH_DATE.source}`));
  });
});

describe('the public pages', () => {
  it('are in the browser’s language, else the default', async () => {
    const { http } = playground();
    const french = await http().get('/password-reset/reset').set('Accept-Language', 'fr-FR,fr;q=0.9');
    expect(french.headers.vary).toMatch(/Accept-Language/);
    expect(french.text).toContain('<html lang="fr">');
    expect(french.text).toContain('Choisissez un nouveau mot de passe');
    // French typography: a space before the semicolon.
    expect(french.text).toContain('Au moins 12 caractères ; pas un mot de passe courant ; ni votre adresse e-mail');
    expect(french.text).toContain('Les deux mots de passe ne correspondent pas.');
    const forgot = await http().get('/password-reset/forgot').set('Accept-Language', 'fr');
    expect(forgot.text).toContain('Mot de passe oublié ?');
    const english = await http().get('/password-reset/reset').set('Accept-Language', 'ja');
    expect(english.text).toContain('<html lang="en">');
    expect(english.text).toContain('Choose a new password');
    expect(english.text).toContain('At least 12 characters; not a common password; not your email address or username.');
  });
});

describe('the language options', () => {
  it('refuse an unshipped default language and an unknown time zone at boot', async () => {
    await expect(startPlayground({ config: { locale: { default: 'de', timeZone: 'Mars/Olympus' } } })).rejects.toThrow(
      /locale\.default: must be one of en, fr[\s\S]*locale\.timeZone: must be an IANA time zone/,
    );
  }, 60000);
});
