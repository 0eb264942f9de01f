// The ways around the owner and privileged rules, tried as an attacker and as a careless integrator would.
// Each story is one path into the database; each asserts what the attacker sees and what stays stored.
// (GraphQL's paths are in graphql.test.ts.)
import { usePlayground } from '../helpers/strapi';
import { strongPassword, type TestAccount } from '../helpers/accounts';
import { tokenFromLink } from '../helpers/smtp';

const playground = usePlayground();
const SEND = 'plugin::password-reset.send-code';
const SET = 'plugin::password-reset.set-password';
const USER = 'plugin::users-permissions.user';
const CLONE = (documentId: string) => `/content-manager/collection-types/${USER}/clone/${documentId}`;

let superToken: string;
let restrictedToken: string;
let tokenKey: string;

beforeAll(async () => {
  const { admins } = playground();
  superToken = (await admins.loginSuperAdmin()).token;
  restrictedToken = (await admins.loginAdminWith([SEND, SET], { contentManager: true })).token;
  tokenKey = (await admins.apiToken('full-access')).accessKey;
});

const roleId = async (type: string) =>
  (await playground().strapi.db.query('plugin::users-permissions.role').findOne({ where: { type } })).id as number;

const storedRole = async (id: number) =>
  (
    await playground()
      .strapi.db.query(USER)
      .findOne({ where: { id }, populate: ['role'] })
  )?.role?.type as string | undefined;

/** The account's refusals in the audit log, once there are at least `atLeast`. */
const refusals = (targetUserId: number, atLeast = 0) => playground().waitForAudit({ action: 'restriction.refused', targetUserId }, atLeast);

/** An activation code sent by the super admin; returns the code from the email. */
async function activationCode(account: TestAccount) {
  const { http, smtp } = playground();
  const sent = smtp.to(account.email).length;
  const res = await http()
    .post('/password-reset/codes')
    .set('Authorization', `Bearer ${superToken}`)
    .send({ userIds: [account.id] });
  expect(res.body.results[0].status).toBe('sent');
  const messages = await smtp.waitFor(account.email, sent + 1);
  return tokenFromLink(messages[sent].links.find((link) => link.includes('#token=')) as string);
}

const check = async (token: string) => (await playground().http().post('/api/password-reset/check').send({ token })).body.valid;

describe('granting a role', () => {
  it('an administrator without "Manage owner accounts" cannot move a regular account into the owner role', async () => {
    const { accounts, admins } = playground();
    const account = await accounts.create('activated');
    const before = await refusals(account.id);
    const res = await admins.contentManagerUpdate(restrictedToken, account.documentId, {
      role: { connect: [{ id: await roleId('owner') }], disconnect: [] },
    });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toMatch(/owner role; you need the "Manage owner accounts" permission/);
    expect(await storedRole(account.id)).toBe('authenticated');
    expect(await refusals(account.id, before + 1)).toBe(before + 1);
  });

  it('an administrator without "Manage owner accounts" cannot create an owner account in the Content Manager', async () => {
    const { admins, strapi } = playground();
    const email = `cm-owner-${Date.now()}@example.test`;
    const res = await admins.contentManagerCreate(restrictedToken, {
      username: `cm-owner-${Date.now()}`,
      email,
      password: strongPassword(),
      confirmed: true,
      role: { connect: [{ id: await roleId('owner') }] },
    });
    // users-permissions' create controllers re-throw every error of its service as a 400, message kept.
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/owner role; you need the "Manage owner accounts" permission/);
    expect(await strapi.db.query(USER).count({ where: { email } })).toBe(0);
  });

  it('a full-access API token cannot create an owner account with POST /api/users', async () => {
    const { http, strapi } = playground();
    const email = `made-owner-${Date.now()}@example.test`;
    const res = await http()
      .post('/api/users')
      .set('Authorization', `Bearer ${tokenKey}`)
      .send({ username: `made-owner-${Date.now()}`, email, password: strongPassword(), role: await roleId('owner') });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/owner role/);
    expect(await strapi.db.query(USER).count({ where: { email } })).toBe(0);
  });

  it('a full-access API token cannot move an account into the privileged role with PUT /api/users/:id', async () => {
    const { http, accounts } = playground();
    const account = await accounts.create('activated');
    const res = await http()
      .put(`/api/users/${account.id}`)
      .set('Authorization', `Bearer ${tokenKey}`)
      .send({ role: await roleId('administrator') });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toMatch(/administrator access/);
    expect(await storedRole(account.id)).toBe('authenticated');
  });

  it('a Content Manager clone of an owner by an administrator without the owner permission is refused', async () => {
    const { http, accounts, strapi } = playground();
    const owner = await accounts.create('owner');
    const email = `clone-${Date.now()}@example.test`;
    const res = await http()
      .post(CLONE(owner.documentId))
      .set('Authorization', `Bearer ${restrictedToken}`)
      .send({ email, username: `clone-${Date.now()}` });
    expect(res.status).toBe(403);
    expect(await strapi.db.query(USER).count({ where: { email } })).toBe(0);
  });

  it('the super admin may still give the owner role', async () => {
    const { accounts, admins } = playground();
    const account = await accounts.create('activated');
    const res = await admins.contentManagerUpdate(superToken, account.documentId, {
      role: { connect: [{ id: await roleId('owner') }], disconnect: [] },
    });
    expect(res.status).toBe(200);
    expect(await storedRole(account.id)).toBe('owner');
  });
});

describe('the Content Manager clone', () => {
  it('refuses a password that breaks the policy', async () => {
    const { http, accounts, strapi } = playground();
    const source = await accounts.create('activated');
    const email = `weak-clone-${Date.now()}@example.test`;
    const res = await http()
      .post(CLONE(source.documentId))
      .set('Authorization', `Bearer ${superToken}`)
      .send({ email, username: `weak-clone-${Date.now()}`, password: 'password1' });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/at least 12 characters/);
    expect(await strapi.db.query(USER).count({ where: { email } })).toBe(0);
  });

  it('refuses to copy an address or a username another account has', async () => {
    const { http, accounts, strapi } = playground();
    const source = await accounts.create('activated');
    const sameEmail = await http()
      .post(CLONE(source.documentId))
      .set('Authorization', `Bearer ${superToken}`)
      .send({ username: `other-${Date.now()}` });
    expect(sameEmail.status).toBe(400);
    expect(sameEmail.body.error.message).toMatch(/email address is already taken/);
    const shouted = await http()
      .post(CLONE(source.documentId))
      .set('Authorization', `Bearer ${superToken}`)
      .send({ email: source.email.toUpperCase(), username: `other-${Date.now()}` });
    expect(shouted.status).toBe(400);
    const sameName = await http()
      .post(CLONE(source.documentId))
      .set('Authorization', `Bearer ${superToken}`)
      .send({ email: `other-${Date.now()}@example.test` });
    expect(sameName.status).toBe(400);
    expect(sameName.body.error.message).toMatch(/username is already taken/);
    expect(await strapi.db.query(USER).count({ where: { username: source.username } })).toBe(1);
  });

  it('makes a regular account with a new address and a password that passes', async () => {
    const { http, accounts, admins } = playground();
    const source = await accounts.create('activated');
    const email = `good-clone-${Date.now()}@example.test`;
    const password = strongPassword();
    const res = await http()
      .post(CLONE(source.documentId))
      .set('Authorization', `Bearer ${superToken}`)
      .send({ email, username: `good-clone-${Date.now()}`, password });
    expect(res.status).toBe(200);
    expect((await admins.loginAccount(email, password)).status).toBe(200);
  });
});

describe('codes are bound to what they were issued for', () => {
  it('an activation code dies when the account becomes owner', async () => {
    const { accounts, admins, http } = playground();
    const account = await accounts.create('activated');
    const token = await activationCode(account);
    expect(await check(token)).toBe(true);
    await admins.contentManagerUpdate(superToken, account.documentId, {
      role: { connect: [{ id: await roleId('owner') }], disconnect: [] },
    });
    expect(await check(token)).toBe(false);
    const password = strongPassword();
    const res = await http().post('/api/password-reset/reset').send({ token, password, passwordConfirmation: password });
    expect(res.status).toBe(400);
    expect((await admins.loginAccount(account.email, account.password)).status).toBe(200);
  });

  it('an activation code dies when the account is blocked', async () => {
    const { accounts, admins } = playground();
    const account = await accounts.create('activated');
    const token = await activationCode(account);
    expect((await admins.contentManagerUpdate(superToken, account.documentId, { blocked: true })).status).toBe(200);
    expect(await check(token)).toBe(false);
  });

  it('an activation code dies when the address changes, and the old address is told', async () => {
    const { accounts, admins, smtp, settle } = playground();
    const account = await accounts.create('activated');
    const token = await activationCode(account);
    const res = await admins.contentManagerUpdate(superToken, account.documentId, { email: `moved-${Date.now()}@example.test` });
    expect(res.status).toBe(200);
    expect(await check(token)).toBe(false);
    await settle();
    const notices = (await smtp.waitFor(account.email, 2)).filter((message) => /email address .* was changed/.test(message.subject));
    expect(notices).toHaveLength(1);
    expect(notices[0].text).toContain(account.email);
  });

  it('an activation code is killed by a reset code the visitor asks for: one live code per account', async () => {
    const { accounts, http, smtp, settle } = playground();
    const account = await accounts.create('activated');
    const activation = await activationCode(account);
    expect((await http().post('/api/password-reset/forgot-password').send({ email: account.email })).status).toBe(200);
    await settle();
    const [, resetMessage] = await smtp.waitFor(account.email, 2);
    const reset = tokenFromLink(resetMessage.links.find((link) => link.includes('#token=')) as string);
    expect(await check(activation)).toBe(false);
    expect(await check(reset)).toBe(true);
  });
});

describe('the recovery channel', () => {
  it.each([
    ['email', () => ({ email: `taken-over-${Date.now()}@example.test` })],
    ['blocked', () => ({ blocked: true })],
    ['confirmed', () => ({ confirmed: false })],
  ])('an administrator without "Manage owner accounts" cannot change an owner’s %s', async (field, change) => {
    const { accounts, admins, strapi } = playground();
    const owner = await accounts.create('owner');
    const before = await strapi.db.query(USER).findOne({ where: { id: owner.id } });
    const res = await admins.contentManagerUpdate(restrictedToken, owner.documentId, change());
    expect(res.status).toBe(403);
    const after = await strapi.db.query(USER).findOne({ where: { id: owner.id } });
    expect(after[field]).toEqual(before[field]);
  });

  it('a restricted administrator may still edit an owner’s other fields (the form sends every field)', async () => {
    const { accounts, admins, strapi } = playground();
    const owner = await accounts.create('owner');
    const stored = await strapi.db.query(USER).findOne({ where: { id: owner.id } });
    const res = await admins.contentManagerUpdate(restrictedToken, owner.documentId, {
      username: `${owner.username}-renamed`,
      email: stored.email,
      blocked: stored.blocked,
      confirmed: stored.confirmed,
      provider: stored.provider,
      role: { connect: [], disconnect: [] },
    });
    expect(res.status).toBe(200);
  });

  describe('with allowAdminSetPassword off', () => {
    beforeAll(() => playground().strapi.config.set('plugin::password-reset.allowAdminSetPassword', false));
    afterAll(() => playground().strapi.config.set('plugin::password-reset.allowAdminSetPassword', true));

    it('a token cannot change an account’s email to its own, then send a code to it and set the password', async () => {
      const { accounts, http, smtp } = playground();
      const account = await accounts.create('activated');
      const attacker = `attacker-${Date.now()}@example.test`;
      const res = await http().put(`/api/users/${account.id}`).set('Authorization', `Bearer ${tokenKey}`).send({ email: attacker });
      expect(res.status).toBe(403);
      expect(res.body.error.message).toMatch(/does not let administrators set passwords or email addresses/);
      const code = await http().post(`/api/password-reset/users/${account.id}/codes`).set('Authorization', `Bearer ${tokenKey}`);
      expect(code.status).toBe(200);
      await smtp.waitFor(account.email);
      expect(smtp.to(attacker)).toHaveLength(0);
    });

    it('neither can the super admin in the Content Manager', async () => {
      const { accounts, admins, strapi } = playground();
      const account = await accounts.create('activated');
      const res = await admins.contentManagerUpdate(superToken, account.documentId, { email: `elsewhere-${Date.now()}@example.test` });
      expect(res.status).toBe(403);
      expect((await strapi.db.query(USER).findOne({ where: { id: account.id } })).email).toBe(account.email);
    });
  });
});

describe('the guard reads any write, whatever its where', () => {
  /** Runs `work` as if inside a request made with a full-access API token (as a custom controller would). */
  const asToken = (work: () => Promise<unknown>) =>
    (playground().strapi.requestContext.run as (ctx: unknown, work: () => Promise<unknown>) => Promise<unknown>)(
      {
        ip: '127.0.0.1',
        state: { route: { info: { type: 'content-api' } }, auth: { strategy: { name: 'api-token' }, credentials: { id: 1 } } },
      },
      work,
    );

  it.each([
    ['documentId', (owner: TestAccount) => ({ documentId: owner.documentId })],
    ['email', (owner: TestAccount) => ({ email: owner.email })],
    ['an operator', (owner: TestAccount) => ({ id: { $eq: owner.id } })],
    ['a relation', () => ({ role: { type: 'owner' } })],
  ])('a service call inside a request cannot write an owner’s password with a where on %s', async (_, where) => {
    const { accounts, strapi, admins } = playground();
    const owner = await accounts.create('owner');
    const query = strapi.db.query(USER);
    await expect(asToken(() => query.update({ where: where(owner), data: { password: 'x' } }))).rejects.toThrow(/owner role/);
    await expect(asToken(() => query.updateMany({ where: where(owner), data: { blocked: true } }))).rejects.toThrow(/owner role/);
    expect((await admins.loginAccount(owner.email, owner.password)).status).toBe(200);
    expect((await query.findOne({ where: { id: owner.id } })).blocked).toBe(false);
  });

  it('a password written by updateMany still ends the account’s codes and sessions', async () => {
    const { accounts, strapi, admins, http } = playground();
    const account = await accounts.create('activated');
    const jwt = (await admins.loginAccount(account.email, account.password)).body.jwt;
    const token = await activationCode(account);
    const hash = await strapi.plugin('users-permissions').service('user').ensureHashedPasswords({ password: strongPassword() });
    await strapi.db.query(USER).updateMany({ where: { email: account.email }, data: { password: hash.password } });
    expect(await check(token)).toBe(false);
    expect((await http().get('/api/users/me').set('Authorization', `Bearer ${jwt}`)).status).toBe(401);
  });
});

describe('sessions end exactly', () => {
  it('a JWT issued in the same second as a set-now is refused', async () => {
    const { accounts, admins, http } = playground();
    const account = await accounts.create('activated');
    const jwt = (await admins.loginAccount(account.email, account.password)).body.jwt;
    const res = await http()
      .put(`/password-reset/users/${account.id}/password`)
      .set('Authorization', `Bearer ${superToken}`)
      .send({ password: strongPassword() });
    expect(res.status).toBe(200);
    expect((await http().get('/api/users/me').set('Authorization', `Bearer ${jwt}`)).status).toBe(401);
  });

  it('the token change-password returns keeps working', async () => {
    const { accounts, admins, http } = playground();
    const account = await accounts.create('activated');
    const jwt = (await admins.loginAccount(account.email, account.password)).body.jwt;
    const password = strongPassword();
    const changed = await http()
      .post('/api/auth/change-password')
      .set('Authorization', `Bearer ${jwt}`)
      .send({ currentPassword: account.password, password, passwordConfirmation: password });
    expect(changed.status).toBe(200);
    expect((await http().get('/api/users/me').set('Authorization', `Bearer ${changed.body.jwt}`)).status).toBe(200);
    expect((await http().get('/api/users/me').set('Authorization', `Bearer ${jwt}`)).status).toBe(401);
  });
});

describe('addresses stored with capitals', () => {
  it('are found by the forgotten-password request, written through a service', async () => {
    const { strapi, http, smtp, settle } = playground();
    const role = await roleId('authenticated');
    const email = `Mixed.Case-${Date.now()}@Example.TEST`;
    await strapi.db.query(USER).create({ data: { username: `mixed-${Date.now()}`, email, provider: 'local', confirmed: true, role } });
    expect((await http().post('/api/password-reset/forgot-password').send({ email: email.toLowerCase() })).status).toBe(200);
    await settle();
    const [message] = await smtp.waitFor(email);
    expect(message.links.some((link) => link.includes('#token='))).toBe(true);
  });

  it('are found after an edit that changes only their case', async () => {
    const { accounts, strapi, http, smtp, settle } = playground();
    const account = await accounts.create('activated');
    const shouted = account.email.toUpperCase();
    await strapi.db.query(USER).update({ where: { id: account.id }, data: { email: shouted } });
    expect((await http().post('/api/password-reset/forgot-password').send({ email: account.email })).status).toBe(200);
    await settle();
    const [message] = await smtp.waitFor(account.email);
    expect(message.links.some((link) => link.includes('#token='))).toBe(true);
  });

  it('are found when written straight into the database, once the boot-time backfill has run', async () => {
    const { strapi, http, smtp, settle } = playground();
    const email = `Raw.Insert-${Date.now()}@Example.TEST`;
    const table = strapi.db.metadata.get(USER).tableName;
    await strapi.db.connection(table).insert({
      document_id: `raw${Date.now()}`,
      username: `raw-${Date.now()}`,
      email,
      provider: 'local',
      confirmed: true,
      blocked: false,
    });
    await strapi.plugin('password-reset').service('accounts').backfillEmailLookups();
    expect((await http().post('/api/password-reset/forgot-password').send({ email: email.toUpperCase() })).status).toBe(200);
    await settle();
    // No role: it is an ordinary account; it gets a link.
    const [message] = await smtp.waitFor(email);
    expect(message.subject).toMatch(/Reset your/);
  });
});

describe('out-of-range input is a 4xx', () => {
  it.each([
    ['an id past the integer range', 'get', '/password-reset/users/2147483648/status', undefined],
    ['an expiry past year 9999', 'put', '/password-reset/users/1/expiry', { expiresAt: '10000-01-01T00:00:00Z' }],
    ['an expiry before 1970', 'put', '/password-reset/users/1/expiry', { expiresAt: '1969-12-31T00:00:00Z' }],
    ['a page past the integer range', 'get', '/password-reset/audit?page=2147483648', undefined],
  ] as const)('%s', async (_, method, path, body) => {
    const res = await playground().http()[method](path).set('Authorization', `Bearer ${superToken}`).send(body);
    expect(res.status).toBe(400);
  });

  it('an id past the integer range on the management API', async () => {
    const res = await playground().http().post('/api/password-reset/users/2147483648/codes').set('Authorization', `Bearer ${tokenKey}`);
    expect(res.status).toBe(400);
  });
});

describe('the client IP', () => {
  it('is the connection’s while server.proxy is off: the audit ignores X-Forwarded-For (the limits too: rate-limit.test.ts)', async () => {
    const { accounts, strapi } = playground();
    const owner = await accounts.create('owner');
    const res = await playground()
      .http()
      .post('/api/password-reset/forgot-password')
      .set('X-Forwarded-For', '203.0.113.77')
      .send({ email: owner.email });
    expect(res.status).toBe(200);
    await playground().settle();
    const row = await strapi.db
      .query('plugin::password-reset.audit-event')
      .findOne({ where: { targetUserId: owner.id, action: 'request.ineligible' } });
    expect(row.ip).toBe('127.0.0.1');
  });
});
