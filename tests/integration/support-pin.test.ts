// An owner records a support PIN; the service desk checks a PIN read out on the telephone.
import { usePlayground } from '../helpers/strapi';
import type { TestAccount } from '../helpers/accounts';

const playground = usePlayground();
const VERIFY = 'plugin::password-reset.verify-pin';
let owner: TestAccount;
let ownerJwt: string;

beforeAll(async () => {
  owner = await playground().accounts.create('owner');
  ownerJwt = (await playground().admins.loginAccount(owner.email, owner.password)).body.jwt;
});

const setPin = (jwt: string | null, body: object) => {
  const req = playground().http().put('/api/password-reset/me/pin');
  return (jwt ? req.set('Authorization', `Bearer ${jwt}`) : req).send(body);
};

describe('an owner setting a support PIN', () => {
  it('needs to be signed in and to give their current password', async () => {
    expect((await setPin(null, { currentPassword: owner.password, pin: '482913' })).status).toBe(401);
    const wrong = await setPin(ownerJwt, { currentPassword: 'not-my-password', pin: '482913' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.message).toMatch(/current password is not correct/);
    expect((await setPin(ownerJwt, { currentPassword: owner.password, pin: '12' })).status).toBe(400);
    expect((await setPin(ownerJwt, { currentPassword: owner.password, pin: '482913' })).status).toBe(200);
  });

  it('is stored hashed, never as typed', async () => {
    const state = await playground()
      .strapi.db.query('plugin::password-reset.account-state')
      .findOne({ where: { userId: owner.id } });
    expect(state.pinHash).toMatch(/^scrypt\$/);
    expect(state.pinHash).not.toContain('482913');
  });

  it('is not offered to accounts that are not owners', async () => {
    const { accounts, admins } = playground();
    const regular = await accounts.create('activated');
    const jwt = (await admins.loginAccount(regular.email, regular.password)).body.jwt;
    const res = await setPin(jwt, { currentPassword: regular.password, pin: '482913' });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toMatch(/Only owner accounts/);
  });
});

describe('the service desk checking a PIN', () => {
  const verify = (token: string, pin: string) =>
    playground().http().post(`/password-reset/users/${owner.id}/verify-pin`).set('Authorization', `Bearer ${token}`).send({ pin });

  it('needs the verify-pin permission', async () => {
    const { token } = await playground().admins.loginAdminWith(['plugin::password-reset.send-code']);
    expect((await verify(token, '482913')).status).toBe(403);
  });

  it('says match or no match; five wrong tries lock checking for 15 minutes; every try is audited', async () => {
    const { admins, strapi } = playground();
    const { token } = await admins.loginAdminWith([VERIFY]);
    expect((await verify(token, '482913')).body).toEqual({ match: true, attemptsLeft: 5 });
    for (let i = 1; i <= 4; i++) expect((await verify(token, '000000')).body).toEqual({ match: false, attemptsLeft: 5 - i });
    expect((await verify(token, '000000')).body).toEqual({ match: false, attemptsLeft: 0 });
    const locked = await verify(token, '482913');
    expect(locked.status).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(14 * 60);
    expect(locked.body.error.message).toMatch(/locked for 15 more minute/);
    const rows = await strapi.db
      .query('plugin::password-reset.audit-event')
      .findMany({ where: { targetUserId: owner.id, action: 'pin.checked' } });
    expect(rows).toHaveLength(7);
    expect(rows.filter((row: { details: { match: boolean } }) => row.details.match)).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain('482913');
  });

  it('counts parallel wrong guesses one by one: at most five get an answer before the lock', async () => {
    const { accounts, admins, strapi } = playground();
    const other = await accounts.create('owner');
    const jwt = (await admins.loginAccount(other.email, other.password)).body.jwt;
    expect((await setPin(jwt, { currentPassword: other.password, pin: '7312' })).status).toBe(200);
    const { token } = await admins.loginAdminWith([VERIFY]);
    const guesses = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        playground()
          .http()
          .post(`/password-reset/users/${other.id}/verify-pin`)
          .set('Authorization', `Bearer ${token}`)
          .send({ pin: String(1000 + i) }),
      ),
    );
    expect(guesses.filter((res) => res.status === 200)).toHaveLength(5);
    expect(guesses.filter((res) => res.status === 429)).toHaveLength(7);
    const state = await strapi.db.query('plugin::password-reset.account-state').findOne({ where: { userId: other.id } });
    expect(new Date(state.pinLockedUntil).getTime()).toBeGreaterThan(Date.now());
  });
});
