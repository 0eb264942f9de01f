// Random input to every public and management route: the answer is always a 4xx or the documented 200, never
// a 500, and nothing in the database changes (no valid code is ever sent here).
import fc from 'fast-check';
import { usePlayground } from '../helpers/strapi';

const playground = usePlayground();

// Values a client could put where a string belongs: wrong types, nested objects and arrays, huge and unicode strings.
const anyValue = fc.oneof(
  fc.string(),
  fc.fullUnicodeString({ maxLength: 300 }),
  fc.string({ minLength: 2000, maxLength: 5000 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.emailAddress(),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string(), { maxKeys: 3 }),
  fc.constant({ $ne: null }),
);
const body = (fields: string[]) =>
  fc.oneof(
    fc.record(Object.fromEntries(fields.map((field) => [field, anyValue])), { requiredKeys: [] }),
    fc.dictionary(fc.string({ maxLength: 12 }), anyValue, { maxKeys: 5 }),
    fc.array(anyValue, { maxLength: 3 }),
    anyValue,
  );

const ROUTES: Array<{ method: 'post' | 'put'; path: string; fields: string[]; token?: boolean; ok: number[] }> = [
  { method: 'post', path: '/api/password-reset/forgot-password', fields: ['email'], ok: [200] },
  { method: 'post', path: '/api/password-reset/check', fields: ['token'], ok: [200] },
  { method: 'post', path: '/api/password-reset/reset', fields: ['token', 'password', 'passwordConfirmation'], ok: [] },
  { method: 'post', path: '/api/auth/forgot-password', fields: ['email'], ok: [200] },
  { method: 'post', path: '/api/auth/reset-password', fields: ['code', 'password', 'passwordConfirmation'], ok: [] },
  { method: 'put', path: '/api/password-reset/users/ID/password', fields: ['password'], token: true, ok: [200] },
  { method: 'put', path: '/api/password-reset/users/ID/expiry', fields: ['expiresAt'], token: true, ok: [200] },
  { method: 'put', path: '/api/password-reset/me/pin', fields: ['currentPassword', 'pin'], ok: [] },
];

/** What the routes could change: passwords, codes, and account state. */
async function snapshot() {
  const { strapi } = playground();
  const users = await strapi.db
    .query('plugin::users-permissions.user')
    .findMany({ select: ['id', 'password', 'confirmed'], orderBy: { id: 'asc' } });
  const codes = await strapi.db
    .query('plugin::password-reset.code')
    .findMany({ select: ['id', 'usedAt', 'revokedAt'], orderBy: { id: 'asc' } });
  return JSON.stringify({ users, codes });
}

describe.each(ROUTES)('$method $path with random input', ({ method, path, fields, token, ok }) => {
  it('answers 4xx or the documented success, never 5xx, and changes nothing', async () => {
    const { http, accounts, admins, settle } = playground();
    const account = await accounts.create('activated');
    const { accessKey } = await admins.apiToken('full-access');
    const url = path.replace('ID', String(account.id));
    const before = await snapshot();
    let successes = 0;
    await fc.assert(
      fc.asyncProperty(body(fields), async (payload) => {
        let request = http()[method](url).set('Content-Type', 'application/json');
        if (token) request = request.set('Authorization', `Bearer ${accessKey}`);
        const res = await request.send(JSON.stringify(payload));
        if (res.status === 200) successes++;
        expect(res.status < 500).toBe(true);
        expect(ok.includes(res.status) || (res.status >= 400 && res.status < 500)).toBe(true);
      }),
      { numRuns: 60 },
    );
    await settle();
    // The management routes could succeed only with a valid password or date; random input almost never is one.
    if (successes === 0 || !token) expect(await snapshot()).toBe(before);
  }, 120000);

  it('answers invalid JSON with a 400', async () => {
    const res = await playground().http()[method](path.replace('ID', '1')).set('Content-Type', 'application/json').send('{"email": ');
    expect(res.status).toBe(400);
  });
});
