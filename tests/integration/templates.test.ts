// Settings → Password reset emails: an administrator holding "Manage settings" rewords an email per template and
// language; the next email uses it, with the account's own fields escaped; a template that could run code,
// leak a value unescaped, lose the link or send readers to another host is refused and nothing is stored.
import { createHash } from 'node:crypto';
import { usePlayground } from '../helpers/strapi';
import { tokenFromLink } from '../helpers/smtp';
import { TEST_SEND_LIMIT } from '../../shared/contracts';

const FRONT_END = 'https://app.example.com/reset';
const playground = usePlayground({ config: { templateFields: ['firstName'], redirectUrls: [FRONT_END] } });
const USERS = 'plugin::users-permissions.user';
const AUDIT = 'plugin::password-reset.audit-event';
const MANAGE = 'plugin::password-reset.manage-settings';

const ENGLISH_RESET = {
  subject: 'Hello {{firstName}}, your {{siteName}} link',
  text: 'Dear {{firstName}} ({{username}}), open {{link}} before {{expiresAt}}.',
  html: '<p>Dear {{firstName}},</p><p><a href="{{link}}">Choose a password</a></p><p><a href="https://app.example.com/help">Help</a></p>',
};

let token: string;
beforeAll(async () => {
  ({ token } = await playground().admins.loginSuperAdmin());
});

const asAdmin = (as = token) => playground().admins.pluginRoutes(as);
const stored = () => playground().strapi.store({ type: 'plugin', name: 'password-reset' }).get({ key: 'templates' });
const auditRows = (action: string) =>
  playground()
    .strapi.db.query(AUDIT)
    .findMany({ where: { action }, orderBy: { id: 'asc' } });

async function accountNamed(firstName: string, locale?: string) {
  const account = await playground().accounts.create('activated');
  await playground()
    .strapi.db.query(USERS)
    .update({ where: { id: account.id }, data: { firstName, ...(locale ? { locale } : {}) } });
  return account;
}

async function askForLink(email: string) {
  expect((await playground().http().post('/api/password-reset/forgot-password').send({ email })).status).toBe(200);
  await playground().settle();
  const [message] = await playground().smtp.waitFor(email);
  return message;
}

afterEach(async () => {
  for (const [locale, name] of [
    ['en', 'reset'],
    ['fr', 'reset'],
  ]) {
    await asAdmin().delete(`/templates/${locale}/${name}`);
  }
});

describe('the catalog and one template', () => {
  it('lists every email, both languages, and each email’s variables with the site’s account fields', async () => {
    const res = await asAdmin().get('/templates');
    expect(res.status).toBe(200);
    expect(res.body.names).toEqual(['reset', 'activation', 'ineligible', 'passwordChanged', 'passwordChangedByAdmin', 'emailChanged']);
    expect(res.body.locales).toEqual(['en', 'fr']);
    expect(res.body.defaultLocale).toBe('en');
    expect(res.body.variables.reset).toEqual(expect.arrayContaining(['link', 'expiresAt', 'username', 'email', 'firstName']));
    expect(res.body.variables.passwordChanged).not.toContain('link');

    const entry = await asAdmin().get('/templates/fr/activation');
    expect(entry.status).toBe(200);
    expect(entry.body).toMatchObject({ name: 'activation', locale: 'fr', customized: false });
    expect(entry.body.template).toEqual(entry.body.defaults);
    expect(entry.body.template.subject).toBe('Choisissez votre mot de passe {{siteName}}');
  });

  it('answers 404 for an email or a language that does not exist, and 403 without "Manage settings"', async () => {
    expect((await asAdmin().get('/templates/de/reset')).status).toBe(404);
    expect((await asAdmin().get('/templates/en/welcome')).status).toBe(404);
    expect((await asAdmin().put('/templates/en/__proto__', ENGLISH_RESET)).status).toBe(404);
    const { token: sender } = await playground().admins.loginAdminWith(['plugin::password-reset.send-code']);
    expect((await asAdmin(sender).get('/templates')).status).toBe(403);
    expect((await asAdmin(sender).put('/templates/en/reset', ENGLISH_RESET)).status).toBe(403);
    expect((await asAdmin(sender).post('/templates/en/reset/test', ENGLISH_RESET)).status).toBe(403);
    expect(await stored()).toBeFalsy();
  });

  it('is out of an API token’s reach', async () => {
    const { accessKey } = await playground().admins.apiToken('full-access');
    const res = await playground()
      .http()
      .put('/password-reset/templates/en/reset')
      .set('Authorization', `Bearer ${accessKey}`)
      .send(ENGLISH_RESET);
    expect(res.status).toBe(401);
    expect(await stored()).toBeFalsy();
  });
});

describe('a saved template', () => {
  it('words the next email in its language, with the account’s fields escaped in HTML, and is audited', async () => {
    const { token: manager } = await playground().admins.loginAdminWith([MANAGE]);
    const saved = await asAdmin(manager).put('/templates/en/reset', ENGLISH_RESET);
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ customized: true, template: ENGLISH_RESET });
    expect(saved.body.defaults.subject).toBe('Reset your {{siteName}} password');
    expect(await stored()).toEqual({ en: { reset: ENGLISH_RESET } });

    const account = await accountNamed('<b>Ada</b> & "Co"');
    const message = await askForLink(account.email);
    expect(message.subject).toBe('Hello <b>Ada</b> & "Co", your Playground link');
    expect(message.text).toMatch(
      /^Dear <b>Ada<\/b> & "Co" \(.+\), open http:\/\/127\.0\.0\.1:\d+\/password-reset\/reset#token=\S+ before \d/,
    );
    expect(message.html).toContain('<p>Dear &lt;b&gt;Ada&lt;/b&gt; &amp; &quot;Co&quot;,</p>');
    expect(message.html).not.toContain('<b>Ada</b>');
    // The link in the reworded email still sets the password.
    const link = message.links.find((href) => href.includes('#token=')) as string;
    const password = 'Another-Strong-Passw0rd!';
    const reset = await playground()
      .http()
      .post('/api/password-reset/reset')
      .send({ token: tokenFromLink(link), password, passwordConfirmation: password });
    expect(reset.status).toBe(200);

    const [row] = await auditRows('template.changed');
    // The row holds what the parts became, so that a reviewer sees a link that was added, and each part's hash.
    expect(row).toMatchObject({
      actorType: 'admin',
      details: { template: 'reset', locale: 'en', changed: ['subject', 'text', 'html'], now: ENGLISH_RESET },
    });
    const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
    expect(row.details.sha256.html).toEqual({ before: expect.stringMatching(/^[0-9a-f]{64}$/), after: sha256(ENGLISH_RESET.html) });
    const csv = await asAdmin().get('/audit.csv').query({ action: 'template.changed' });
    expect([csv.status, csv.text]).toEqual([200, expect.stringContaining('app.example.com/help')]);

    // Other languages keep their own wording.
    const french = await accountNamed('Zoé', 'fr');
    expect((await askForLink(french.email)).subject).toBe('Réinitialisez votre mot de passe Playground');
  });

  it('goes back to the default wording when reset, audited', async () => {
    await asAdmin().put('/templates/en/reset', ENGLISH_RESET);
    const reset = await asAdmin().delete('/templates/en/reset');
    expect(reset.status).toBe(200);
    expect(reset.body).toMatchObject({ customized: false });
    expect(reset.body.template).toEqual(reset.body.defaults);
    expect(await stored()).toEqual({ en: {} });
    const account = await accountNamed('Ada');
    expect((await askForLink(account.email)).subject).toBe('Reset your Playground password');
    expect((await auditRows('template.reset')).at(-1)).toMatchObject({ details: { template: 'reset', locale: 'en' } });
  });

  it('writes a value the account holder chose on one line and at most 100 characters', async () => {
    await asAdmin().put('/templates/en/reset', ENGLISH_RESET);
    const account = await accountNamed(`Ada\n\nYour account is locked. Call +1 555 0100 now${'!'.repeat(200)}`);
    const message = await askForLink(account.email);
    const name = /^Dear (.*) \(/.exec(message.text)?.[1] as string;
    expect(name).toMatch(/^Ada Your account is locked\. Call \+1 555 0100 now!+…$/);
    expect(name).toHaveLength(100);
    expect(message.subject.startsWith(`Hello ${name},`)).toBe(true);
  });

  it('stops being used when Settings take its link’s host off the allow-list: the default wording is sent instead', async () => {
    expect((await asAdmin().put('/templates/en/reset', ENGLISH_RESET)).status).toBe(200);
    expect((await asAdmin().put('/settings', { redirectUrls: [] })).status).toBe(200);
    try {
      const account = await accountNamed('Ada');
      const message = await askForLink(account.email);
      expect(message.subject).toBe('Reset your Playground password');
      expect(message.html).not.toContain('app.example.com');
    } finally {
      await asAdmin().put('/settings', { redirectUrls: [FRONT_END] });
    }
    const account = await accountNamed('Ada');
    expect((await askForLink(account.email)).subject).toBe('Hello Ada, your Playground link');
  });

  it('is kept for other instances: a restart reads it from the store', async () => {
    await asAdmin().put('/templates/fr/reset', { ...ENGLISH_RESET, subject: 'Bonjour {{firstName}}' });
    await playground().strapi.plugin('password-reset').service('templates').load();
    expect((await asAdmin().get('/templates/fr/reset')).body).toMatchObject({
      customized: true,
      template: { subject: 'Bonjour {{firstName}}' },
    });
  });
});

describe('a template that is refused', () => {
  const refusals: Array<[string, Record<string, unknown>, string, string]> = [
    ['lacks the link', { text: 'Open your account page' }, 'text', 'missingLink'],
    ['inserts a field unescaped', { html: '<p>{{{firstName}}} <a href="{{link}}">x</a></p>' }, 'html', 'unescaped'],
    ['inserts a field unescaped with &', { text: '{{link}} {{& firstName}}' }, 'text', 'unescaped'],
    ['links to another host', { html: '<a href="{{link}}">x</a> <a href="https://evil.test/login">Sign in</a>' }, 'html', 'hostNotAllowed'],
    [
      'links to a look-alike host',
      { html: '<a href="https://app.example.com.evil.test/{{link}}">x</a> {{link}}' },
      'html',
      'hostNotAllowed',
    ],
    ['builds a link from a field', { html: '<a href="{{firstName}}">x</a> {{link}}' }, 'html', 'variableUrl'],
    ['runs a script', { html: '{{link}}<img src=x onerror="fetch(1)">' }, 'html', 'script'],
    ['uses logic', { text: '{{#if firstName}}{{link}}{{/if}}' }, 'text', 'syntax'],
    ['uses a variable the email lacks', { subject: '{{password}}' }, 'subject', 'unknownVariable'],
    ['puts a header in the subject', { subject: 'Hi\r\nBcc: all@example.com' }, 'subject', 'multiline'],
    ['is too long', { html: `{{link}}${'x'.repeat(100_001)}` }, 'html', 'tooLong'],
    // Read as a mail client reads it: `&sol;` is `/`, so the link's host is evil.test (issue 27).
    [
      'hides a host behind a character reference',
      { html: '<a href="https://evil.test&sol;@app.example.com/{{link}}">x</a>' },
      'html',
      'hostNotAllowed',
    ],
    ['has a character reference outside Unicode', { html: '<p>&#x110000; <a href="{{link}}">x</a></p>' }, 'html', 'malformed'],
    ['leaves a tag open at its end', { html: '<p><a href="{{link}}">x</a></p><a href="x' }, 'html', 'malformed'],
  ];

  it.each(refusals)('when it %s: 400 naming the part and the reason, nothing stored, nothing audited', async (_, change, part, code) => {
    const before = await auditRows('template.changed');
    const res = await asAdmin().put('/templates/en/reset', { ...ENGLISH_RESET, ...change });
    expect(res.status).toBe(400);
    expect(res.body.error.details.problems).toContainEqual(expect.objectContaining({ part, code }));
    expect(res.body.error.details.errors[0].path).toEqual([res.body.error.details.problems[0].part]);
    expect(await stored()).toEqual(expect.not.objectContaining({ en: { reset: expect.anything() } }));
    expect(await auditRows('template.changed')).toHaveLength(before.length);
  });

  it('when a part is missing or not text, or the body is not an object: 400, nothing stored', async () => {
    for (const body of [{ subject: 'x', text: '{{link}}' }, { ...ENGLISH_RESET, html: 42 }, ['x']]) {
      const res = await asAdmin().put('/templates/en/reset', body);
      expect(res.status).toBe(400);
    }
    expect((await asAdmin().get('/templates/en/reset')).body.customized).toBe(false);
  });
});

describe('the preview and the test email', () => {
  it('previews with sample values, listing what a save would refuse, and stores nothing', async () => {
    const res = await asAdmin().post('/templates/en/reset/preview', { ...ENGLISH_RESET, text: 'No link here, {{firstName}}' });
    expect(res.status).toBe(200);
    expect(res.body.subject).toBe('Hello [firstName], your Playground link');
    expect(res.body.html).toContain('<p>Dear [firstName],</p>');
    expect(res.body.html).toMatch(/href="http:\/\/127\.0\.0\.1:\d+\/password-reset\/reset#token=sample-token-opens-nothing"/);
    expect(res.body.problems).toEqual([{ part: 'text', code: 'missingLink' }]);
    const malformed = await asAdmin().post('/templates/en/reset/preview', { ...ENGLISH_RESET, html: '<p>&#x110000;{{link}}<!-- open' });
    expect(malformed.status).toBe(200);
    expect(malformed.body.problems).toEqual([
      { part: 'html', code: 'malformed', detail: expect.stringContaining('character-reference-outside-unicode-range') },
      { part: 'html', code: 'malformed', detail: expect.stringContaining('eof-in-comment') },
    ]);
    expect((await asAdmin().get('/templates/en/reset')).body.customized).toBe(false);
  });

  it('sends a test only to the address the dialog named, and only while it is the administrator’s own; a refused template is not sent', async () => {
    const { smtp, strapi } = playground();
    const { token: manager, email } = await playground().admins.loginAdminWith([MANAGE]);
    const elsewhere = await asAdmin(manager).post('/templates/en/reset/test', { ...ENGLISH_RESET, to: 'victim@example.com' });
    expect(elsewhere.status).toBe(409);
    expect(elsewhere.body.error.message).toContain(email);
    expect((await asAdmin(manager).post('/templates/en/reset/test', ENGLISH_RESET)).status).toBe(400);
    const res = await asAdmin(manager).post('/templates/en/reset/test', { ...ENGLISH_RESET, to: email });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ to: email });
    const [message] = await smtp.waitFor(email);
    expect(message.subject).toBe('Hello [firstName], your Playground link');
    expect(message.html).toContain('sample-token-opens-nothing');
    expect(smtp.messages.some((m) => m.to.includes('victim@example.com'))).toBe(false);
    expect((await auditRows('template.test-sent')).at(-1)).toMatchObject({ details: { template: 'reset', locale: 'en' } });

    const refused = await asAdmin(manager).post('/templates/en/reset/test', { ...ENGLISH_RESET, html: '{{{firstName}}}', to: email });
    expect(refused.status).toBe(400);

    // The profile's address changed after the dialog named it: neither address is sent the test.
    const moved = `moved-${email}`;
    await strapi.db.query('admin::user').update({ where: { email }, data: { email: moved } });
    const stale = await asAdmin(manager).post('/templates/en/reset/test', { ...ENGLISH_RESET, to: email });
    expect(stale.status).toBe(409);
    expect(stale.body.error).toMatchObject({ details: { reason: 'address-changed', current: moved } });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(smtp.to(email)).toHaveLength(1);
    expect(smtp.to(moved)).toHaveLength(0);
  });

  it(`sends at most ${TEST_SEND_LIMIT.points} tests an hour per administrator: the next is a 429 with Retry-After, not sent, audited`, async () => {
    const { smtp } = playground();
    const { token: manager, email } = await playground().admins.loginAdminWith([MANAGE]);
    const send = () => asAdmin(manager).post('/templates/en/reset/test', { ...ENGLISH_RESET, to: email });
    for (let i = 0; i < TEST_SEND_LIMIT.points; i++) expect((await send()).status).toBe(200);
    await smtp.waitFor(email, TEST_SEND_LIMIT.points);

    const over = await send();
    expect(over.status).toBe(429);
    const retryAfter = Number(over.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(TEST_SEND_LIMIT.durationSeconds);
    expect(over.body.error.message).toMatch(/test emails an hour/);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(smtp.to(email)).toHaveLength(TEST_SEND_LIMIT.points);
    expect((await auditRows('template.test-refused')).at(-1)).toMatchObject({
      details: { template: 'reset', locale: 'en', reason: 'rate-limited' },
    });

    // The limit is each administrator's own.
    const other = await playground().admins.loginAdminWith([MANAGE]);
    expect((await asAdmin(other.token).post('/templates/en/reset/test', { ...ENGLISH_RESET, to: other.email })).status).toBe(200);
  });
});
