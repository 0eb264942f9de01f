// What an administrator does from the admin panel's routes: send activation codes (one or many), set a
// password now, set an expiry date, read an account's state, and read the audit log.
import { usePlayground } from '../helpers/strapi';
import { strongPassword, type TestAccount } from '../helpers/accounts';
import { tokenFromLink } from '../helpers/smtp';

// Mail to these addresses is refused by the SMTP server, to show `failed` results.
// 200 accounts are sent inline (a larger send is a job: outbox.test.ts).
const playground = usePlayground({
  smtp: { rejectTo: (address) => address.startsWith('refused-') },
  config: { bulk: { inlineLimit: 200 } },
});
const SEND = 'plugin::password-reset.send-code';
const SET = 'plugin::password-reset.set-password';
const AUDIT = 'plugin::password-reset.audit-event';
const CODES = 'plugin::password-reset.code';

let superToken: string;
beforeAll(async () => {
  superToken = (await playground().admins.loginSuperAdmin()).token;
});

const asAdmin = (token: string) => playground().admins.pluginRoutes(token);

describe('sending activation codes in bulk', () => {
  it('sends 200 accounts a code each and reports every skipped and failed account with its reason', async () => {
    const { accounts, smtp, strapi, admins } = playground();
    const { token } = await admins.loginAdminWith([SEND]);
    const regular: TestAccount[] = [];
    for (let i = 0; i < 192; i++) regular.push(await accounts.create(i % 2 ? 'activated' : 'not-activated'));
    const blocked = await accounts.create('blocked');
    const owner = await accounts.create('owner');
    const privileged = await accounts.create('privileged');
    const refused = [await accounts.create('activated', { email: `refused-1-${Date.now()}@example.test` })];
    const noEmail = await accounts.create('activated');
    await strapi.db.query('plugin::users-permissions.user').update({ where: { id: noEmail.id }, data: { email: null } });
    const unknownIds = [999991, 999992, 999993];
    const userIds = [...regular, blocked, owner, privileged, ...refused, noEmail].map((a) => a.id).concat(unknownIds);
    expect(userIds).toHaveLength(200);

    const res = await asAdmin(token).post('/codes', { userIds });
    expect(res.status).toBe(200);
    expect(res.body.summary).toEqual({ sent: 193, skipped: 6, failed: 1, queued: 0 });
    const byId = new Map(res.body.results.map((r: { userId: number }) => [r.userId, r]));
    expect(byId.get(blocked.id)).toMatchObject({ status: 'skipped', reason: 'blocked' });
    // An owner account is named by id alone to an administrator who may not manage it.
    expect(byId.get(owner.id)).toMatchObject({
      email: null,
      status: 'skipped',
      reason: 'owner-requires-permission',
      message: expect.stringMatching(/Manage owner accounts/),
    });
    expect(byId.get(privileged.id)).toMatchObject({ status: 'sent', email: privileged.email });
    expect(byId.get(noEmail.id)).toMatchObject({ status: 'skipped', reason: 'no-email' });
    expect(byId.get(999991)).toMatchObject({ status: 'skipped', reason: 'unknown-account' });
    expect(byId.get(refused[0].id)).toMatchObject({ status: 'failed', reason: expect.stringMatching(/550|refused/i) });

    // Every sent account got its own activation email; the failed one is left with no live code.
    for (const account of regular.slice(0, 5)) {
      const [message] = await smtp.waitFor(account.email);
      expect(message.subject).toBe('Set your Playground password');
      expect(message.links[0]).toMatch(/#token=/);
    }
    expect(smtp.messages.filter((m) => m.subject === 'Set your Playground password')).toHaveLength(193);
    expect(await strapi.db.query(CODES).count({ where: { userId: refused[0].id, revokedAt: { $null: true } } })).toBe(0);
    // Sending a code never changes the password.
    expect((await admins.loginAccount(regular[1].email, regular[1].password)).status).toBe(200);
  }, 120000);

  it('lets the owner’s code through for an administrator holding "Manage owner accounts" (the super admin)', async () => {
    const { accounts, smtp } = playground();
    const owner = await accounts.create('owner');
    const res = await asAdmin(superToken).post('/codes', { userIds: [owner.id] });
    expect(res.body.results).toEqual([{ userId: owner.id, email: owner.email, status: 'sent' }]);
    const [message] = await smtp.waitFor(owner.email);
    // The code works on the public page even though owners cannot ask for one themselves.
    const password = strongPassword();
    const reset = await playground()
      .http()
      .post('/api/password-reset/reset')
      .send({ token: tokenFromLink(message.links[0]), password, passwordConfirmation: password });
    expect(reset.status).toBe(200);
    expect((await playground().admins.loginAccount(owner.email, password)).status).toBe(200);
  });

  it('is refused without the send-code permission, and refuses bodies that are not { userIds: [ids] }', async () => {
    const { admins } = playground();
    const { token } = await admins.loginAdminWith([SET]);
    expect((await asAdmin(token).post('/codes', { userIds: [1] })).status).toBe(403);
    for (const body of [{}, { userIds: [] }, { userIds: 'all' }, { userIds: [{ id: 1 }] }, { userIds: [-1] }, { userIds: [1.5] }]) {
      const res = await asAdmin(superToken).post('/codes', body);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/userIds/);
    }
  });
});

describe('setting a password now', () => {
  it('stops the old password and existing sessions at once, revokes codes, and emails the user when asked', async () => {
    const { accounts, admins, http, smtp, strapi } = playground();
    const account = await accounts.create('activated');
    const session = (await admins.loginAccount(account.email, account.password)).body.jwt;
    await asAdmin(superToken).post('/codes', { userIds: [account.id] });
    const password = strongPassword();

    const weak = await asAdmin(superToken).put(`/users/${account.id}/password`, { password: 'short' });
    expect(weak.status).toBe(400);
    expect(weak.body.error.message).toMatch(/at least 12 characters/);

    const res = await asAdmin(superToken).put(`/users/${account.id}/password`, { password, notify: true });
    expect(res.status).toBe(200);
    expect((await admins.loginAccount(account.email, account.password)).status).toBe(400);
    expect((await admins.loginAccount(account.email, password)).status).toBe(200);
    expect((await http().get('/api/users/me').set('Authorization', `Bearer ${session}`)).status).toBe(401);
    expect(await strapi.db.query(CODES).count({ where: { userId: account.id, usedAt: { $null: true }, revokedAt: { $null: true } } })).toBe(
      0,
    );
    const notice = (await smtp.waitFor(account.email, 2)).find(
      (m) => m.subject === 'Your Playground password was changed by an administrator',
    );
    expect(notice?.text).toMatch(/previous password no longer works/);
    const row = await strapi.db.query(AUDIT).findOne({ where: { targetUserId: account.id, action: 'password.set' } });
    expect(row).toMatchObject({ actorType: 'admin' });
    expect(JSON.stringify(row)).not.toContain(password);
  });
});

describe('setting a password now when the notice cannot be sent', () => {
  it('still sets the password, and says the account was not notified', async () => {
    const { accounts, admins } = playground();
    const account = await accounts.create('activated', { email: `refused-notice-${Date.now()}@example.test` });
    const password = strongPassword();
    const res = await asAdmin(superToken).put(`/users/${account.id}/password`, { password, notify: true });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true, notified: false });
    expect((await admins.loginAccount(account.email, password)).status).toBe(200);
  });
});

describe('an account’s status and expiry', () => {
  it('shows the state and what a restricted administrator may do, with the reason when not', async () => {
    const { accounts, admins } = playground();
    const { token } = await admins.loginAdminWith([SEND, SET]);
    const owner = await accounts.create('owner');
    const res = await asAdmin(token).get(`/users/${owner.id}/status`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ userId: owner.id, activated: true, kind: 'owner', expired: false, lastCode: null });
    expect(res.body.actions.sendCode).toEqual({ allowed: false, reason: expect.stringMatching(/Manage owner accounts/) });
    expect(res.body.actions.setPassword.allowed).toBe(false);
    const regular = await accounts.create('not-activated');
    await asAdmin(token).post('/codes', { userIds: [regular.id] });
    const status = (await asAdmin(token).get(`/users/${regular.id}/status`)).body;
    expect(status).toMatchObject({
      activated: false,
      kind: 'regular',
      actions: { sendCode: { allowed: true }, setPassword: { allowed: true } },
    });
    expect(status.lastCode).toMatchObject({ purpose: 'activation', state: 'live', usedAt: null });
  });

  it('an expired account cannot use the public flow, but can still be sent an activation code', async () => {
    const { accounts, smtp, settle, http } = playground();
    const account = await accounts.create('activated');
    const past = new Date(Date.now() - 60000).toISOString();
    const res = await asAdmin(superToken).put(`/users/${account.id}/expiry`, { expiresAt: past });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ expired: true, expiresAt: past });
    await http().post('/api/password-reset/forgot-password').send({ email: account.email });
    await settle();
    expect(smtp.to(account.email).map((m) => m.subject)).toEqual(['About your Playground password reset request']);
    expect((await asAdmin(superToken).post('/codes', { userIds: [account.id] })).body.summary.sent).toBe(1);
    expect((await asAdmin(superToken).put(`/users/${account.id}/expiry`, { expiresAt: 'soon' })).status).toBe(400);
    expect((await asAdmin(superToken).put(`/users/${account.id}/expiry`, { expiresAt: '1' })).status).toBe(400);
    expect((await asAdmin(superToken).put(`/users/${account.id}/expiry`, { expiresAt: null })).body.expired).toBe(false);
  });
});

describe('new accounts with sendActivationOnCreate', () => {
  it('get an activation code when an administrator creates them without a password', async () => {
    const { strapi, admins, smtp } = playground();
    strapi.config.set('plugin::password-reset.sendActivationOnCreate', true);
    try {
      const role = await strapi.db.query('plugin::users-permissions.role').findOne({ where: { type: 'authenticated' } });
      const email = `created-${Date.now()}@example.test`;
      const res = await admins.contentManagerCreate(superToken, {
        username: `created-${Date.now()}`,
        email,
        confirmed: false,
        blocked: false,
        role: role.id,
      });
      expect(res.body.error ?? null).toBeNull();
      expect(res.body).toMatchObject({ email, confirmed: false });
      const [message] = await smtp.waitFor(email);
      expect(message.subject).toBe('Set your Playground password');
    } finally {
      strapi.config.set('plugin::password-reset.sendActivationOnCreate', false);
    }
  });
});

describe('the audit log', () => {
  it('pages and filters by account, actor, action and date, and never holds a token', async () => {
    const { accounts, smtp, strapi } = playground();
    const account = await accounts.create('activated');
    await asAdmin(superToken).post('/codes', { userIds: [account.id] });
    await asAdmin(superToken).post('/codes', { userIds: [account.id] });
    const res = await asAdmin(superToken).get(`/audit?userId=${account.id}&pageSize=2`);
    expect(res.status).toBe(200);
    expect(res.body.pagination).toMatchObject({ page: 1, pageSize: 2, total: 3 });
    expect(res.body.results.map((r: { action: string }) => r.action)).toEqual(['code.revoked', 'code.issued']);
    const issued = await asAdmin(superToken).get(`/audit?userId=${account.id}&action=code.issued&actorType=admin`);
    expect(issued.body.pagination.total).toBe(2);
    const future = await asAdmin(superToken).get(
      `/audit?userId=${account.id}&from=${encodeURIComponent(new Date(Date.now() + 60000).toISOString())}`,
    );
    expect(future.body.pagination.total).toBe(0);
    expect((await asAdmin(superToken).get('/audit?page=0')).status).toBe(400);
    const tokens = smtp.to(account.email).map((m) => tokenFromLink(m.links[0]));
    const everything = JSON.stringify(await strapi.db.query(AUDIT).findMany({}));
    tokens.forEach((token) => expect(everything).not.toContain(token));
  });

  it('is refused without the read-audit permission', async () => {
    const { token } = await playground().admins.loginAdminWith([SEND]);
    expect((await asAdmin(token).get('/audit')).status).toBe(403);
  });
});
