// Owner accounts can be reset only by an administrator holding "Manage owner accounts"; privileged accounts
// only from the admin area. Every path that can write a password is tried, and each refusal leaves the
// password as it was and an audit row behind.
import { usePlayground } from '../helpers/strapi';
import { strongPassword, type TestAccount } from '../helpers/accounts';

const playground = usePlayground();
const SEND = 'plugin::password-reset.send-code';
const SET = 'plugin::password-reset.set-password';

let superToken: string;
let restrictedToken: string;
let owner: TestAccount;
let privileged: TestAccount;

beforeAll(async () => {
  const { admins, accounts } = playground();
  superToken = (await admins.loginSuperAdmin()).token;
  restrictedToken = (await admins.loginAdminWith([SEND, SET], { contentManager: true })).token;
  owner = await accounts.create('owner');
  privileged = await accounts.create('privileged');
});

/** The account's password is still the one it had, and the new one does not work. */
async function expectUnchanged(account: TestAccount, attempted: string) {
  const { admins } = playground();
  expect((await admins.loginAccount(account.email, account.password)).status).toBe(200);
  expect((await admins.loginAccount(account.email, attempted)).status).toBe(400);
}

/** How many refusals the audit log has for the account, once it has at least `atLeast`. */
const refusals = (account: TestAccount, atLeast = 0) =>
  playground().waitForAudit({ targetUserId: account.id, action: 'restriction.refused' }, atLeast);

describe('the Content Manager edit form', () => {
  it('refuses an owner’s new password from an administrator without "Manage owner accounts"', async () => {
    const before = await refusals(owner);
    const password = strongPassword();
    const res = await playground().admins.contentManagerUpdate(restrictedToken, owner.documentId, { password });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toMatch(/owner role/);
    await expectUnchanged(owner, password);
    expect(await refusals(owner, before + 1)).toBe(before + 1);
  });

  it('lets such an administrator set a privileged account’s password (the admin area may)', async () => {
    const password = strongPassword();
    const res = await playground().admins.contentManagerUpdate(restrictedToken, privileged.documentId, { password });
    expect(res.status).toBe(200);
    expect((await playground().admins.loginAccount(privileged.email, password)).status).toBe(200);
    privileged.password = password;
  });

  it('refuses to demote an owner for an administrator without "Manage owner accounts" (no reset by the back door)', async () => {
    const { strapi, admins, accounts } = playground();
    const authenticated = await strapi.db.query('plugin::users-permissions.role').findOne({ where: { type: 'authenticated' } });
    const res = await admins.contentManagerUpdate(restrictedToken, owner.documentId, {
      role: { connect: [{ id: authenticated.id }], disconnect: [] },
    });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toMatch(/owner role; you need the "Manage owner accounts" permission/);
    const stored = await accounts.stored(owner.id);
    const role = await strapi.db.query('plugin::users-permissions.user').findOne({ where: { id: stored.id }, populate: ['role'] });
    expect(role.role.type).toBe('owner');
  });

  it('lets the super admin set an owner’s password, and audits it', async () => {
    const { strapi } = playground();
    const password = strongPassword();
    const res = await playground().admins.contentManagerUpdate(superToken, owner.documentId, { password });
    expect(res.status).toBe(200);
    expect((await playground().admins.loginAccount(owner.email, password)).status).toBe(200);
    owner.password = password;
    const row = await strapi.db
      .query('plugin::password-reset.audit-event')
      .findOne({ where: { targetUserId: owner.id, action: 'password.changed' } });
    expect(row).toMatchObject({ actorType: 'admin' });
  });
});

describe('this plugin’s set-now route', () => {
  it('refuses an owner to an administrator without "Manage owner accounts", and allows a privileged account', async () => {
    const { http } = playground();
    const password = strongPassword();
    const refused = await http()
      .put(`/password-reset/users/${owner.id}/password`)
      .set('Authorization', `Bearer ${restrictedToken}`)
      .send({ password });
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toMatch(/Manage owner accounts/);
    await expectUnchanged(owner, password);
    const allowed = await http()
      .put(`/password-reset/users/${privileged.id}/password`)
      .set('Authorization', `Bearer ${restrictedToken}`)
      .send({ password });
    expect(allowed.status).toBe(200);
    privileged.password = password;
  });
});

describe.each(['owner', 'privileged'] as const)('a %s account, from outside the admin area', (kind) => {
  const account = () => (kind === 'owner' ? owner : privileged);

  it('cannot be given a password with PUT /api/users/:id and a full-access API token', async () => {
    const { http, admins } = playground();
    const { accessKey } = await admins.apiToken('full-access');
    const password = strongPassword();
    const before = await refusals(account());
    const res = await http().put(`/api/users/${account().id}`).set('Authorization', `Bearer ${accessKey}`).send({ password });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toMatch(kind === 'owner' ? /owner role/ : /administrator access/);
    await expectUnchanged(account(), password);
    expect(await refusals(account(), before + 1)).toBe(before + 1);
  });

  it('cannot be reset through the management API', async () => {
    const { http, admins } = playground();
    const { accessKey } = await admins.apiToken('full-access');
    const password = strongPassword();
    const res = await http()
      .put(`/api/password-reset/users/${account().id}/password`)
      .set('Authorization', `Bearer ${accessKey}`)
      .send({ password });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toMatch(/only be managed in the admin panel/);
    await expectUnchanged(account(), password);
    const code = await http().post(`/api/password-reset/users/${account().id}/codes`).set('Authorization', `Bearer ${accessKey}`);
    expect(code.status).toBe(403);
  });

  it('cannot be reset by a direct service call made as an API token', async () => {
    const { strapi } = playground();
    const password = strongPassword();
    await expect(
      strapi
        .plugin('password-reset')
        .service('administration')
        .setPasswordNow(account().id, password, { type: 'api-token', id: '1' }, { sendCode: true, setPassword: true, manageOwners: false }),
    ).rejects.toThrow(/only be managed in the admin panel/);
    await expectUnchanged(account(), password);
  });

  it('can still change their own password with change-password', async () => {
    const { http, admins } = playground();
    const login = await admins.loginAccount(account().email, account().password);
    const password = strongPassword();
    const res = await http()
      .post('/api/auth/change-password')
      .set('Authorization', `Bearer ${login.body.jwt}`)
      .send({ currentPassword: account().password, password, passwordConfirmation: password });
    expect(res.status).toBe(200);
    account().password = password;
  });
});

describe('with allowAdminSetPassword off', () => {
  it('refuses set-now and the Content Manager’s password field, even to the super admin', async () => {
    const { strapi, http, accounts, admins } = playground();
    const account = await accounts.create('activated');
    strapi.config.set('plugin::password-reset.allowAdminSetPassword', false);
    try {
      const password = strongPassword();
      const setNow = await http()
        .put(`/password-reset/users/${account.id}/password`)
        .set('Authorization', `Bearer ${superToken}`)
        .send({ password });
      expect(setNow.status).toBe(403);
      expect(setNow.body.error.message).toMatch(/does not let administrators set passwords/);
      const form = await admins.contentManagerUpdate(superToken, account.documentId, { password });
      expect(form.status).toBe(403);
      await expectUnchanged(account, password);
    } finally {
      strapi.config.set('plugin::password-reset.allowAdminSetPassword', true);
    }
  });
});
