// What the session tests ask about a token: whether it was issued in the same second as the account's last
// password change, the case a comparison of JWT `iat` (whole seconds) cannot decide.
import type { Playground } from './strapi';
import { strongPassword } from './accounts';

export async function issuedInSecondOfChange(playground: Playground, jwt: string, accountId: number) {
  const { iat } = JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8')) as { iat: number };
  const changedAt = (await playground.accounts.stored(accountId)).passwordChangedAt as string | Date;
  return Math.floor(new Date(changedAt).getTime() / 1000) === iat;
}

/**
 * A new account signs in, then an administrator sets its password at once (set-now): the sign-in's answer, the
 * new password, and whether the token came in the change's own second.
 */
export async function signInThenSetNow(playground: Playground, adminJwt: string) {
  const { accounts, admins, http } = playground;
  const account = await accounts.create('activated');
  const login = (await admins.loginAccount(account.email, account.password)).body as { jwt: string; refreshToken?: string };
  const password = strongPassword();
  const set = await http()
    .put(`/password-reset/users/${account.id}/password`)
    .set('Authorization', `Bearer ${adminJwt}`)
    .send({ password });
  expect(set.status).toBe(200);
  return { account, login, password, sameSecond: await issuedInSecondOfChange(playground, login.jwt, account.id) };
}
