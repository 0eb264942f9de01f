// What the session tests ask about a token: whether it was issued in the same second as the account's last
// password change, the case a comparison of JWT `iat` (whole seconds) cannot decide.
import type { Playground } from './strapi';

export async function issuedInSecondOfChange(playground: Playground, jwt: string, accountId: number) {
  const { iat } = JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8')) as { iat: number };
  const changedAt = (await playground.accounts.stored(accountId)).passwordChangedAt as string | Date;
  return Math.floor(new Date(changedAt).getTime() / 1000) === iat;
}
