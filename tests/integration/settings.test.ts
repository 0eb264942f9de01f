// Settings → Password reset: an administrator holding "Manage settings" changes options in the admin panel; the
// next email, the next notice and the next password obey them; bad values and missing permissions change nothing.
import { usePlayground } from '../helpers/strapi';

const playground = usePlayground();
const MANAGE = 'plugin::password-reset.manage-settings';
const SEND = 'plugin::password-reset.send-code';
const CODES = 'plugin::password-reset.code';
const AUDIT = 'plugin::password-reset.audit-event';

// The first admin is the super admin: created before any other.
beforeAll(async () => {
  await playground().admins.loginSuperAdmin();
});

const asAdmin = (token: string) => playground().admins.pluginRoutes(token);
const storedValue = () => playground().strapi.store({ type: 'plugin', name: 'password-reset' }).get({ key: 'settings' });

describe('Settings → Password reset', () => {
  it('an administrator with "Manage settings" shortens the reset link lifetime, and the next code lives that long', async () => {
    const { admins, accounts, http, smtp, strapi } = playground();
    const { token, email } = await admins.loginAdminWith([MANAGE]);
    const before = await asAdmin(token).get('/settings');
    expect(before.status).toBe(200);
    expect(before.body.values['codeTtlHours.reset']).toBe(1);

    const res = await asAdmin(token).put('/settings', { 'codeTtlHours.reset': 0.25 });
    expect(res.status).toBe(200);
    expect(res.body.values['codeTtlHours.reset']).toBe(0.25);
    expect(res.body.defaults['codeTtlHours.reset']).toBe(1);

    const account = await accounts.create('activated');
    const asked = Date.now();
    expect((await http().post('/api/password-reset/forgot-password').send({ email: account.email })).status).toBe(200);
    await smtp.waitFor(account.email);
    const [code] = await strapi.db.query(CODES).findMany({ where: { userId: account.id } });
    const lifetime = new Date(code.expiresAt).getTime() - asked;
    expect(lifetime).toBeGreaterThan(14 * 60_000);
    expect(lifetime).toBeLessThan(16 * 60_000);

    // The audit row names who changed what, from what to what.
    const [row] = await strapi.db.query(AUDIT).findMany({ where: { action: 'settings.changed' }, orderBy: { id: 'desc' }, limit: 1 });
    expect(row.actorType).toBe('admin');
    expect(row.details).toEqual({ changes: { 'codeTtlHours.reset': { from: 1, to: 0.25 } } });
    const audit = await asAdmin((await admins.loginSuperAdmin()).token).get('/audit?action=settings.changed');
    expect(JSON.stringify(audit.body)).toContain(email.split('@')[0].replace('restricted-', ''));

    await asAdmin(token).put('/settings', { 'codeTtlHours.reset': 1 });
  });

  it('a notice turned off sends nothing: an ineligible account that asks gets no email', async () => {
    const { admins, accounts, http, smtp } = playground();
    const { token } = await admins.loginSuperAdmin();
    expect((await asAdmin(token).put('/settings', { notifyIneligible: false })).status).toBe(200);
    const account = await accounts.create('not-activated');
    await http().post('/api/password-reset/forgot-password').send({ email: account.email });
    await playground().settle();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(smtp.messages.filter((m) => m.to.includes(account.email))).toHaveLength(0);

    await asAdmin(token).put('/settings', { notifyIneligible: true });
    const other = await accounts.create('not-activated');
    await http().post('/api/password-reset/forgot-password').send({ email: other.email });
    expect(await smtp.waitFor(other.email)).toHaveLength(1);
  });

  it('an administrator without "Manage settings" gets 403 and changes nothing', async () => {
    const { admins } = playground();
    const { token } = await admins.loginAdminWith([SEND]);
    const storedBefore = await storedValue();
    expect((await asAdmin(token).get('/settings')).status).toBe(403);
    expect((await asAdmin(token).put('/settings', { 'codeTtlHours.reset': 5 })).status).toBe(403);
    expect(await storedValue()).toEqual(storedBefore);
  });

  it.each([
    // Out of bounds: a lifetime that would break every reset email, one that would mail dead links, a
    // one-character password (issue 27): each refused with the option's range.
    [{ 'codeTtlHours.reset': 1e12 }, 'codeTtlHours.reset', /from 0\.0834 to 24 \(5 minutes to 24 hours\)/],
    [{ 'codeTtlHours.reset': 1e-9 }, 'codeTtlHours.reset', /from 0\.0834 to 24/],
    [{ 'passwordPolicy.minLength': 1 }, 'passwordPolicy.minLength', /from 8 to 72/],
    [{ 'codeTtlHours.reset': -1 }, 'codeTtlHours.reset', /from 0\.0834 to 24/],
    [{ 'codeTtlHours.reset': '2' }, 'codeTtlHours.reset', /a number of hours/],
    [{ 'passwordPolicy.minLength': 100 }, 'passwordPolicy.minLength', /from 8 to 72/],
    [{ notifyIneligible: 'no' }, 'notifyIneligible', /true or false/],
    [{ resetPageUrl: 'javascript:alert(1)' }, 'resetPageUrl', /http or https/],
    [{ 'rateLimit.store': 'redis' }, 'rateLimit.store', /changed here/],
    [{ allowAdminSetPassword: false, 'codeTtlHours.activation': null }, 'codeTtlHours.activation', /from 1 to 720 \(1 hour to 30 days\)/],
  ])('refuses %j with a 400 naming the field, and stores nothing', async (body, field, message) => {
    const { admins } = playground();
    const { token } = await admins.loginSuperAdmin();
    const storedBefore = await storedValue();
    const before = (await asAdmin(token).get('/settings')).body;
    const res = await asAdmin(token).put('/settings', body);
    expect(res.status).toBe(400);
    expect(res.body.error.details.errors[0].path).toEqual([field]);
    expect(res.body.error.message).toMatch(new RegExp(`${field.replace('.', '\\.')}: .*${message.source}`));
    expect(await storedValue()).toEqual(storedBefore);
    expect((await asAdmin(token).get('/settings')).body).toEqual(before);
  });

  it('a body that is not an object is a 400', async () => {
    const { token } = await playground().admins.loginSuperAdmin();
    const res = await playground()
      .admins.pluginRoutes(token)
      .put('/settings', [1, 2] as unknown as object);
    expect(res.status).toBe(400);
  });

  it('saved settings are read back from the store (as after a restart or on another instance)', async () => {
    const { admins, strapi } = playground();
    const { token } = await admins.loginSuperAdmin();
    await asAdmin(token).put('/settings', { 'passwordPolicy.minLength': 20 });
    // Another instance wrote the store: this one sees it once it re-reads.
    await strapi.store({ type: 'plugin', name: 'password-reset' }).set({ key: 'settings', value: { 'passwordPolicy.minLength': 16 } });
    await strapi.plugin('password-reset').service('settings').load();
    expect((await asAdmin(token).get('/settings')).body.values['passwordPolicy.minLength']).toBe(16);
    await asAdmin(token).put('/settings', { 'passwordPolicy.minLength': 12 });
  });

  it("a value stored before its bounds existed is not applied: the file's value is, with a warning, and saves still work", async () => {
    const { admins, accounts, strapi } = playground();
    const { token } = await admins.loginSuperAdmin();
    const settings = strapi.plugin('password-reset').service('settings');
    const warn = jest.spyOn(strapi.log, 'warn');
    // Saved last month, when any positive whole number was a minimum length.
    await strapi.store({ type: 'plugin', name: 'password-reset' }).set({
      key: 'settings',
      value: { 'passwordPolicy.minLength': 6, 'codeTtlHours.reset': 0.5 },
    });
    try {
      await settings.load();
      const read = (await asAdmin(token).get('/settings')).body.values;
      expect(read).toMatchObject({ 'passwordPolicy.minLength': 12, 'codeTtlHours.reset': 0.5 });
      expect(warn.mock.calls.map(([line]) => String(line)).join('\n')).toMatch(
        /stored setting passwordPolicy\.minLength \(6\) is not applied: must be a whole number of characters from 8 to 72/,
      );
      // The policy in force is the file's: a six-character password is refused, in the Content Manager too.
      expect((strapi.contentType('plugin::users-permissions.user').attributes.password as { minLength?: number }).minLength).toBe(12);
      const account = await accounts.create('activated');
      expect((await admins.contentManagerUpdate(token, account.documentId, { password: 'Qx7-Ln' })).status).toBe(400);
      // A save of another option is not blocked by it, and leaves it out of the store.
      expect((await asAdmin(token).put('/settings', { 'codeTtlHours.reset': 0.75 })).status).toBe(200);
      expect(await storedValue()).toEqual({ 'codeTtlHours.reset': 0.75 });
    } finally {
      warn.mockRestore();
      await strapi.store({ type: 'plugin', name: 'password-reset' }).set({ key: 'settings', value: {} });
      await settings.load();
    }
  });

  it('a shorter minimum length lets the Content Manager save such a password (its field follows the policy)', async () => {
    const { admins, accounts, strapi } = playground();
    const { token } = await admins.loginSuperAdmin();
    const account = await accounts.create('activated');
    expect((await asAdmin(token).put('/settings', { 'passwordPolicy.minLength': 8 })).status).toBe(200);
    try {
      expect((strapi.contentType('plugin::users-permissions.user').attributes.password as { minLength?: number }).minLength).toBe(8);
      const saved = await admins.contentManagerUpdate(token, account.documentId, { password: 'Qx7-Lantern' });
      expect(saved.status).toBe(200);
      expect((await admins.loginAccount(account.email, 'Qx7-Lantern')).status).toBe(200);
    } finally {
      await asAdmin(token).put('/settings', { 'passwordPolicy.minLength': 12 });
    }
    expect((strapi.contentType('plugin::users-permissions.user').attributes.password as { minLength?: number }).minLength).toBe(12);
  });
});

describe('the front-end pages a link request may name (redirectUrls)', () => {
  const GOOD = 'https://good.example/account/reset';
  let superToken: string;
  beforeAll(async () => {
    superToken = (await playground().admins.loginSuperAdmin()).token;
    const res = await asAdmin(superToken).put('/settings', { redirectUrls: [GOOD, 'https://other.example'] });
    expect(res.status).toBe(200);
  });

  it('a request naming a listed page gets a link to that page, with the token in the fragment', async () => {
    const { accounts, http, smtp } = playground();
    const account = await accounts.create('activated');
    const res = await http().post('/api/password-reset/forgot-password').send({ email: account.email, redirectTo: GOOD });
    expect(res.status).toBe(200);
    const [message] = await smtp.waitFor(account.email);
    expect(message.links[0]).toMatch(new RegExp(`^${GOOD}#token=[A-Za-z0-9_-]+$`));
  });

  it("users-permissions' forgot-password route takes the same redirectTo, and the same refusals", async () => {
    const { accounts, http, smtp } = playground();
    const account = await accounts.create('activated');
    expect((await http().post('/api/auth/forgot-password').send({ email: account.email, redirectTo: GOOD })).status).toBe(200);
    expect((await smtp.waitFor(account.email))[0].links[0]).toMatch(new RegExp(`^${GOOD}#token=`));
    const refused = await http().post('/api/auth/forgot-password').send({ email: account.email, redirectTo: 'https://evil.example/' });
    expect(refused.status).toBe(400);
  });

  it.each([
    ['another host', 'https://evil.example/account/reset'],
    ['the same host, another path', 'https://good.example/account/other'],
    ['the same host and path over http', 'http://good.example/account/reset'],
    ['a javascript: URL', 'javascript:alert(document.cookie)'],
    ['userinfo naming the good host', 'https://good.example@evil.example/account/reset'],
    ['the good host as a subdomain of another', 'https://good.example.evil.example/account/reset'],
    ['a percent-encoded path', 'https://good.example/account%2Freset'],
    ['an encoded URL', encodeURIComponent(GOOD)],
    ['a protocol-relative URL', '//good.example/account/reset'],
    ['a listed page with a query added', `${GOOD}?next=https://evil.example`],
    ['a listed page with a fragment added', `${GOOD}#x`],
    ['a listed page with a trailing dot host', 'https://good.example./account/reset'],
    ['an upper-case host', 'https://GOOD.example/account/reset'],
    ['a backslash', 'https:\\\\evil.example\\account\\reset'],
    ['a number', 42],
    ['an object', { href: GOOD }],
    ['an array', [GOOD]],
    ['null', null],
  ])('refuses %s with a 400 before anything else happens: no email, no outbox row', async (_name, redirectTo) => {
    const { accounts, http, smtp, strapi } = playground();
    const account = await accounts.create('activated');
    const rowsBefore = await strapi.db.query('plugin::password-reset.outbox-message').count({});
    const res = await http().post('/api/password-reset/forgot-password').send({ email: account.email, redirectTo });
    expect(res.status).toBe(400);
    expect(res.body.error.details.errors[0].path).toEqual(['redirectTo']);
    expect(await strapi.db.query('plugin::password-reset.outbox-message').count({})).toBe(rowsBefore);
    await playground().settle();
    expect(smtp.messages.filter((m) => m.to.includes(account.email))).toHaveLength(0);
  });

  it('a listed page written without its trailing slash matches as the URL parser writes it', async () => {
    const { accounts, http } = playground();
    const account = await accounts.create('activated');
    expect(
      (await http().post('/api/password-reset/forgot-password').send({ email: account.email, redirectTo: 'https://other.example/' }))
        .status,
    ).toBe(200);
  });

  it('the set-password page links to the site login once done, when a login URL is set', async () => {
    const { http } = playground();
    expect((await asAdmin(superToken).put('/settings', { loginUrl: 'https://good.example/login' })).status).toBe(200);
    const page = await http().get('/password-reset/reset');
    expect(page.text).toContain('<a id="sign-in" href="https://good.example/login">Sign in</a>');
    await asAdmin(superToken).put('/settings', { loginUrl: null });
    expect((await http().get('/password-reset/reset')).text).not.toContain('sign-in');
  });
});
