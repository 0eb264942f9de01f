// The moment of an account's last password change lives on the account row (ARCHITECTURE.md, invariant 8), so
// that users-permissions' own lookup on every authenticated request reads it. Whoever could write it could
// revive the tokens issued before a reset, or hide when it happened: only the user-model lifecycle writes it,
// and no API answers with it.
import { usePlayground } from '../helpers/strapi';
import { strongPassword } from '../helpers/accounts';
import { signInThenSetNow } from '../helpers/sessions';

const playground = usePlayground();
const LONG_AGO = '2000-01-01T00:00:00.000Z';
const USERS = 'plugin::users-permissions.user';
jest.setTimeout(60000);

/** An account that signed in, then changed its password: the token from before must stay refused. */
async function accountWithOldToken() {
  const { accounts, admins, http } = playground();
  const account = await accounts.create('activated');
  const before = (await admins.loginAccount(account.email, account.password)).body.jwt as string;
  await new Promise((resolve) => setTimeout(resolve, 20));
  const password = strongPassword();
  const changed = await http()
    .post('/api/auth/change-password')
    .set('Authorization', `Bearer ${before}`)
    .send({ currentPassword: account.password, password, passwordConfirmation: password });
  expect(changed.status).toBe(200);
  const moment = (await accounts.stored(account.id)).passwordChangedAt;
  expect(moment).toBeTruthy();
  return { account, before, after: changed.body.jwt as string, moment };
}

const me = (jwt: string) => playground().http().get('/api/users/me').set('Authorization', `Bearer ${jwt}`);

describe('the moment of the last password change', () => {
  it('is set by a password change, refuses the token from before and accepts the one from after', async () => {
    const { before, after } = await accountWithOldToken();
    expect((await me(before)).status).toBe(401);
    expect((await me(after)).status).toBe(200);
  });

  it('refuses every token issued before a set-now or a change-password, in the same second too', async () => {
    const { admins, http } = playground();
    const { token: adminJwt } = await admins.loginSuperAdmin();
    let sameSecond = 0;
    for (let i = 0; i < 10; i++) {
      const { account, login, password, sameSecond: inSecond } = await signInThenSetNow(playground(), adminJwt);
      if (inSecond) sameSecond++;
      const before = login.jwt;
      expect((await me(before)).status).toBe(401);
      const after = (await admins.loginAccount(account.email, password)).body.jwt as string;
      expect((await me(after)).status).toBe(200);

      const newer = strongPassword();
      const changed = await http()
        .post('/api/auth/change-password')
        .set('Authorization', `Bearer ${after}`)
        .send({ currentPassword: password, password: newer, passwordConfirmation: newer });
      expect(changed.status).toBe(200);
      expect((await me(after)).status).toBe(401);
      expect((await me(changed.body.jwt)).status).toBe(200);
    }
    // Most tries log in and set the password within one second: the case a comparison of seconds cannot decide.
    expect(sameSecond).toBeGreaterThan(0);
  });

  it('costs no query of its own on an authenticated request', async () => {
    const { strapi } = playground();
    const { after } = await accountWithOldToken();
    const statements: string[] = [];
    const record = (query: { sql: string }) => statements.push(query.sql);
    strapi.db.connection.on('query', record);
    try {
      expect((await me(after)).status).toBe(200);
    } finally {
      strapi.db.connection.off('query', record);
    }
    // users-permissions' own lookup of the account (the row carries the moment) and nothing of this plugin.
    expect(statements.some((sql) => /from \S*up_users\S* as/.test(sql))).toBe(true);
    expect(statements.filter((sql) => sql.includes('password_reset_'))).toEqual([]);
  });

  it('is never in an answer: /users/me, /users/:id, GraphQL', async () => {
    const { account, after } = await accountWithOldToken();
    const own = await me(after);
    expect(own.body).not.toHaveProperty('passwordChangedAt');
    const { accessKey: token } = await playground().admins.apiToken('full-access');
    const byId = await playground().http().get(`/api/users/${account.id}`).set('Authorization', `Bearer ${token}`);
    expect(byId.status).toBe(200);
    expect(byId.body).not.toHaveProperty('passwordChangedAt');
    const graphql = await playground()
      .http()
      .post('/graphql')
      .set('Authorization', `Bearer ${token}`)
      .send({ query: `{ usersPermissionsUser(documentId: "${account.documentId}") { passwordChangedAt } }` });
    expect(graphql.body.data?.usersPermissionsUser?.passwordChangedAt).toBeUndefined();
    expect(graphql.body.errors?.[0]?.message).toMatch(/passwordChangedAt/);
  });

  it('cannot be written through PUT /api/users/:id, GraphQL, the Content Manager or a service call', async () => {
    const { strapi, http, admins } = playground();
    const { account, before, moment } = await accountWithOldToken();
    const { accessKey: token } = await admins.apiToken('full-access');
    const { token: adminJwt } = await admins.loginSuperAdmin();

    const rest = await http().put(`/api/users/${account.id}`).set('Authorization', `Bearer ${token}`).send({ passwordChangedAt: LONG_AGO });
    expect(rest.status).toBeLessThan(500);
    await http()
      .post('/graphql')
      .set('Authorization', `Bearer ${token}`)
      .send({
        query: `mutation { updateUsersPermissionsUser(id: "${account.id}", data: { passwordChangedAt: "${LONG_AGO}" }) { data { id } } }`,
      });
    const cm = await admins.contentManagerUpdate(adminJwt, account.documentId, { passwordChangedAt: LONG_AGO });
    expect(cm.status).toBeLessThan(500);
    await strapi.db.query(USERS).update({ where: { id: account.id }, data: { passwordChangedAt: LONG_AGO } });
    await strapi.documents(USERS).update({ documentId: account.documentId, data: { passwordChangedAt: LONG_AGO } as never });

    expect((await playground().accounts.stored(account.id)).passwordChangedAt).toEqual(moment);
    expect((await me(before)).status).toBe(401);
  });

  it('is not shown in the Content Manager’s edit view', async () => {
    const { http, admins } = playground();
    const { token: adminJwt } = await admins.loginSuperAdmin();
    const configuration = await http()
      .get(`/content-manager/content-types/${USERS}/configuration`)
      .set('Authorization', `Bearer ${adminJwt}`);
    expect(configuration.status).toBe(200);
    const layout = JSON.stringify(configuration.body.data.contentType.layouts.edit);
    expect(layout).toContain('"email"');
    expect(layout).not.toContain('passwordChangedAt');
  });
});

// The README's Limits: code outside any request (a seed script, a migration, a test's own setup) is the site's
// own. users-permissions' own test fixtures create accounts this way with short passwords.
describe('code running outside any request', () => {
  const add = (email: string, password: string) =>
    playground()
      .strapi.service('plugin::users-permissions.user')
      .add({ username: email.split('@')[0], email, password, provider: 'local', confirmed: true, blocked: false }) as Promise<{
      id: number;
      documentId: string;
    }>;

  it('sets passwords the policy would refuse, and still ends the account’s codes and sessions', async () => {
    const { strapi, admins, http, smtp, settle } = playground();
    const email = `script-${Date.now()}@example.test`;
    const account = await add(email, 'Test1234');
    const login = await admins.loginAccount(email, 'Test1234');
    expect(login.status).toBe(200);
    await http().post('/api/password-reset/forgot-password').send({ email });
    await settle();
    const [message] = await smtp.waitFor(email);

    await strapi.documents(USERS).update({ documentId: account.documentId, data: { password: 'Other123' } as never });
    expect((await admins.loginAccount(email, 'Other123')).status).toBe(200);
    expect((await http().get('/api/users/me').set('Authorization', `Bearer ${login.body.jwt}`)).status).toBe(401);
    const check = await http()
      .post('/api/password-reset/check')
      .send({ token: new URL(message.links[0]).hash.replace(/^#token=/, '') });
    expect(check.body.valid).toBe(false);
  });

  it('is held to the policy too with passwordPolicy.applyOutsideRequests', async () => {
    const { strapi } = playground();
    strapi.config.set('plugin::password-reset.passwordPolicy.applyOutsideRequests', true);
    try {
      await expect(add(`strict-${Date.now()}@example.test`, 'Test1234')).rejects.toThrow(/at least 12 characters/);
    } finally {
      strapi.config.set('plugin::password-reset.passwordPolicy.applyOutsideRequests', false);
    }
  });
});
