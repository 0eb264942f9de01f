// Integrators send codes and set passwords with Strapi API tokens — and only with API tokens.
import { usePlayground } from '../helpers/strapi';
import { strongPassword } from '../helpers/accounts';

const playground = usePlayground();
const api = (path: string) => `/api/password-reset${path}`;

describe('with a full-access API token', () => {
  it('sends an activation code, without changing the password', async () => {
    const { http, admins, accounts, smtp, strapi } = playground();
    const { accessKey, id } = await admins.apiToken('full-access');
    const account = await accounts.create('not-activated');
    const res = await http()
      .post(api(`/users/${account.id}/codes`))
      .set('Authorization', `Bearer ${accessKey}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ userId: account.id, email: account.email, status: 'sent' });
    const [message] = await smtp.waitFor(account.email);
    expect(message.subject).toBe('Set your Playground password');
    const audit = await strapi.db
      .query('plugin::password-reset.audit-event')
      .findOne({ where: { targetUserId: account.id, action: 'code.issued' } });
    expect(audit).toMatchObject({ actorType: 'api-token', actorId: String(id) });
  });

  it('sets a password now, under the same policy', async () => {
    const { http, admins, accounts } = playground();
    const { accessKey } = await admins.apiToken('full-access');
    const account = await accounts.create('activated');
    const weak = await http()
      .put(api(`/users/${account.id}/password`))
      .set('Authorization', `Bearer ${accessKey}`)
      .send({ password: 'password' });
    expect(weak.status).toBe(400);
    expect(weak.body.error.details.errors.map((e: { rule: string }) => e.rule)).toEqual(['too-short', 'common']);
    const password = strongPassword();
    const res = await http()
      .put(api(`/users/${account.id}/password`))
      .set('Authorization', `Bearer ${accessKey}`)
      .send({ password });
    expect(res.status).toBe(200);
    expect((await admins.loginAccount(account.email, account.password)).status).toBe(400);
    expect((await admins.loginAccount(account.email, password)).status).toBe(200);
  });

  it('sets an expiry date', async () => {
    const { http, admins, accounts } = playground();
    const { accessKey } = await admins.apiToken('full-access');
    const account = await accounts.create('activated');
    const expiresAt = new Date(Date.now() + 86400000).toISOString();
    const res = await http()
      .put(api(`/users/${account.id}/expiry`))
      .set('Authorization', `Bearer ${accessKey}`)
      .send({ expiresAt });
    expect(res.body).toEqual({ userId: account.id, expiresAt, expired: false });
  });

  it('answers 404 for an unknown account and 400 for a bad id or body', async () => {
    const { http, admins } = playground();
    const { accessKey } = await admins.apiToken('full-access');
    expect((await http().post(api('/users/987654/codes')).set('Authorization', `Bearer ${accessKey}`)).status).toBe(404);
    expect((await http().post(api('/users/abc/codes')).set('Authorization', `Bearer ${accessKey}`)).status).toBe(400);
    expect(
      (
        await http()
          .put(api('/users/1/password'))
          .set('Authorization', `Bearer ${accessKey}`)
          .send({ password: { $gt: '' } })
      ).status,
    ).toBe(400);
  });
});

describe('who may call it', () => {
  it('a custom token only for the routes it was granted', async () => {
    const { http, admins, accounts } = playground();
    const account = await accounts.create('activated');
    const { accessKey } = await admins.apiToken('custom', ['plugin::password-reset.management.sendCode']);
    expect(
      (
        await http()
          .post(api(`/users/${account.id}/codes`))
          .set('Authorization', `Bearer ${accessKey}`)
      ).status,
    ).toBe(200);
    const set = await http()
      .put(api(`/users/${account.id}/password`))
      .set('Authorization', `Bearer ${accessKey}`)
      .send({ password: strongPassword() });
    expect(set.status).toBe(403);
    const other = await admins.apiToken('custom', ['plugin::users-permissions.user.find']);
    expect(
      (
        await http()
          .post(api(`/users/${account.id}/codes`))
          .set('Authorization', `Bearer ${other.accessKey}`)
      ).status,
    ).toBe(403);
  });

  it('not a read-only token, a users-permissions JWT, or no token at all', async () => {
    const { http, admins, accounts } = playground();
    const account = await accounts.create('activated');
    const readOnly = await admins.apiToken('read-only');
    expect(
      (
        await http()
          .post(api(`/users/${account.id}/codes`))
          .set('Authorization', `Bearer ${readOnly.accessKey}`)
      ).status,
    ).toBe(403);
    const jwt = (await admins.loginAccount(account.email, account.password)).body.jwt;
    expect(
      (
        await http()
          .post(api(`/users/${account.id}/codes`))
          .set('Authorization', `Bearer ${jwt}`)
      ).status,
    ).toBe(401);
    expect((await http().post(api(`/users/${account.id}/codes`))).status).toBe(401);
    expect(
      (
        await http()
          .put(api(`/users/${account.id}/password`))
          .send({ password: strongPassword() })
      ).status,
    ).toBe(401);
    expect((await admins.loginAccount(account.email, account.password)).status).toBe(200);
  });
});
