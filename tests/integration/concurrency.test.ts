// Races that must come out whole: many requests for one account, and an administrator's set-now meeting a
// code being redeemed. (50 redemptions of one code: see self-service.test.ts.)
import { createHash } from 'node:crypto';
import { usePlayground } from '../helpers/strapi';
import { strongPassword } from '../helpers/accounts';
import { tokenFromLink } from '../helpers/smtp';

const playground = usePlayground();
const CODES = 'plugin::password-reset.code';
const live = { usedAt: { $null: true }, revokedAt: { $null: true } };

describe('20 simultaneous link requests for one account', () => {
  it('leave at most one live code', async () => {
    const { http, accounts, settle, strapi, smtp } = playground();
    const account = await accounts.create('activated');
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => http().post('/api/password-reset/forgot-password').send({ email: account.email })),
    );
    expect(responses.every((res) => res.status === 200)).toBe(true);
    await settle();
    // Each request is an outbox row; requests handled together send one email, so codes ≤ requests.
    expect(await strapi.db.query('plugin::password-reset.outbox-message').count({ where: { address: account.email } })).toBe(0);
    const codes = await strapi.db.query(CODES).findMany({ where: { userId: account.id }, orderBy: { id: 'desc' } });
    expect(codes.length).toBeGreaterThanOrEqual(1);
    expect(codes.length).toBeLessThanOrEqual(20);
    expect(await strapi.db.query(CODES).count({ where: { userId: account.id, ...live } })).toBe(1);
    // Every code was mailed, and the live one is the newest.
    const mailed = smtp.to(account.email).map((message) => createHash('sha256').update(tokenFromLink(message.links[0])).digest('hex'));
    expect(mailed.sort()).toEqual(codes.map((code: { tokenHash: string }) => code.tokenHash).sort());
    expect(await strapi.db.query(CODES).findOne({ where: { id: codes[0].id, ...live } })).not.toBeNull();
  }, 60000);

  it('leave at most one live code when issued from many bulk sends at once', async () => {
    const { accounts, strapi } = playground();
    const account = await accounts.create('activated');
    const admin = { type: 'admin' as const, id: '1' };
    const all = { sendCode: true, setPassword: true, manageOwners: true };
    const administration = strapi.plugin('password-reset').service('administration');
    await Promise.all(Array.from({ length: 20 }, () => administration.sendActivationCodes([account.id], admin, all)));
    expect(await strapi.db.query(CODES).count({ where: { userId: account.id, ...live } })).toBe(1);
  }, 60000);
});

describe('an administrator setting a password while the account redeems a code', () => {
  it('ends with one of the two passwords, and no live code', async () => {
    const { http, accounts, smtp, strapi, admins } = playground();
    const { token: adminToken } = await admins.loginSuperAdmin();
    for (let round = 0; round < 5; round++) {
      const account = await accounts.create('activated');
      await http()
        .post('/password-reset/codes')
        .set('Authorization', `Bearer ${adminToken}`)
        .send({ userIds: [account.id] });
      const [message] = await smtp.waitFor(account.email);
      const byCode = strongPassword();
      const byAdmin = strongPassword();
      const [redeemed, setNow] = await Promise.all([
        http()
          .post('/api/password-reset/reset')
          .send({ token: tokenFromLink(message.links[0]), password: byCode, passwordConfirmation: byCode }),
        http().put(`/password-reset/users/${account.id}/password`).set('Authorization', `Bearer ${adminToken}`).send({ password: byAdmin }),
      ]);
      expect(setNow.status).toBe(200);
      expect([200, 400]).toContain(redeemed.status);
      const works = async (password: string) => (await admins.loginAccount(account.email, password)).status === 200;
      const [codeWorks, adminWorks] = [await works(byCode), await works(byAdmin)];
      // Exactly one password is in force; if the code's is, the set-now came first and the code was used after it
      // could no longer be revoked; either way no code is left live.
      expect(Number(codeWorks) + Number(adminWorks)).toBe(1);
      if (redeemed.status === 400) expect(adminWorks).toBe(true);
      expect(await strapi.db.query(CODES).count({ where: { userId: account.id, ...live } })).toBe(0);
    }
  }, 90000);
});
