// Front-ends written for users-permissions call its own /api/auth/forgot-password and /api/auth/reset-password.
// By default the plugin serves them, with the same shapes, using its own codes and rules.
import { usePlayground } from '../helpers/strapi';
import { strongPassword } from '../helpers/accounts';

const playground = usePlayground();
const CODES = 'plugin::password-reset.code';

async function askBuiltIn(email: string) {
  const { http, settle } = playground();
  const res = await http().post('/api/auth/forgot-password').send({ email });
  await settle();
  return res;
}

describe('users-permissions forgot-password, taken over', () => {
  it('answers { ok: true } and issues one of this plugin’s codes, never users-permissions’ plain-text token', async () => {
    const { strapi, smtp, accounts } = playground();
    const account = await accounts.create('activated');
    const res = await askBuiltIn(account.email);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true });
    expect(await strapi.db.query(CODES).count({ where: { userId: account.id, purpose: 'reset' } })).toBe(1);
    expect((await accounts.stored(account.id)).resetPasswordToken).toBeNull();
    const [message] = await smtp.waitFor(account.email);
    expect(message.links[0]).toMatch(/\/password-reset\/reset#token=/);
  });

  it('links to the front-end page set in users-permissions’ advanced settings, with ?code= as before', async () => {
    const { strapi, smtp, accounts } = playground();
    const store = strapi.store({ type: 'plugin', name: 'users-permissions' });
    const advanced = (await store.get({ key: 'advanced' })) as Record<string, unknown>;
    await store.set({ key: 'advanced', value: { ...advanced, email_reset_password: 'https://front.example.test/reset-password' } });
    try {
      const account = await accounts.create('activated');
      await askBuiltIn(account.email);
      const [message] = await smtp.waitFor(account.email);
      expect(message.links[0]).toMatch(/^https:\/\/front\.example\.test\/reset-password\?code=[A-Za-z0-9_-]{43}$/);
    } finally {
      await store.set({ key: 'advanced', value: advanced });
    }
  });

  it('never puts the code in a query string on this server, even when that page is set as users-permissions’ own', async () => {
    const { strapi, smtp, accounts, baseUrl } = playground();
    const store = strapi.store({ type: 'plugin', name: 'users-permissions' });
    const advanced = (await store.get({ key: 'advanced' })) as Record<string, unknown>;
    await store.set({ key: 'advanced', value: { ...advanced, email_reset_password: `${baseUrl}/password-reset/reset` } });
    try {
      const account = await accounts.create('activated');
      await askBuiltIn(account.email);
      const [message] = await smtp.waitFor(account.email);
      expect(message.links[0]).toMatch(new RegExp(`^${baseUrl}/password-reset/reset#token=[A-Za-z0-9_-]{43}$`));
    } finally {
      await store.set({ key: 'advanced', value: advanced });
    }
  });

  it.each(['privileged', 'owner', 'not-activated'] as const)('gives a %s account no code', async (kind) => {
    const { strapi, accounts } = playground();
    const account = await accounts.create(kind);
    expect((await askBuiltIn(account.email)).status).toBe(200);
    expect(await strapi.db.query(CODES).count({ where: { userId: account.id } })).toBe(0);
    expect((await accounts.stored(account.id)).resetPasswordToken).toBeNull();
  });
});

describe('users-permissions reset-password, taken over', () => {
  it('sets the password from { code, password, passwordConfirmation } and answers { jwt, user } as before', async () => {
    const { http, smtp, accounts, admins } = playground();
    const account = await accounts.create('activated');
    await askBuiltIn(account.email);
    const [message] = await smtp.waitFor(account.email);
    const code = new URL(message.links[0]).hash.replace('#token=', '');
    const password = strongPassword();
    const res = await http().post('/api/auth/reset-password').send({ code, password, passwordConfirmation: password });
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ id: account.id, email: account.email });
    expect(res.body.user.password).toBeUndefined();
    expect((await http().get('/api/users/me').set('Authorization', `Bearer ${res.body.jwt}`)).status).toBe(200);
    expect((await admins.loginAccount(account.email, password)).status).toBe(200);
    expect((await admins.loginAccount(account.email, account.password)).status).toBe(400);
  });

  it('applies the password policy, and refuses a used code', async () => {
    const { http, smtp, accounts } = playground();
    const account = await accounts.create('activated');
    await askBuiltIn(account.email);
    const [message] = await smtp.waitFor(account.email);
    const code = new URL(message.links[0]).hash.replace('#token=', '');
    const weak = await http().post('/api/auth/reset-password').send({ code, password: 'short', passwordConfirmation: 'short' });
    expect(weak.status).toBe(400);
    expect(weak.body.error.message).toMatch(/at least 12 characters/);
    const password = strongPassword();
    expect((await http().post('/api/auth/reset-password').send({ code, password, passwordConfirmation: password })).status).toBe(200);
    const again = await http().post('/api/auth/reset-password').send({ code, password, passwordConfirmation: password });
    expect(again.status).toBe(400);
  });
});
