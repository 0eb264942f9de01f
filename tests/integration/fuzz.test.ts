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

/** A GraphQL request as an API token. */
const postGraphql = (accessKey: string, query: string, variables: object) =>
  playground()
    .http()
    .post('/graphql')
    .set('Content-Type', 'application/json')
    .set('Authorization', `Bearer ${accessKey}`)
    .send(JSON.stringify({ query, variables }));

/** The codes of a GraphQL answer's errors (`BAD_USER_INPUT`, `INTERNAL_SERVER_ERROR`: its 500 inside a 200…). */
const errorCodes = (res: { body?: { errors?: Array<{ extensions?: { code?: string } }> } }) =>
  (res.body?.errors ?? []).map((error) => error.extensions?.code);

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

// GraphQL's user mutations with random data, as a full-access API token: never a 5xx (nor GraphQL's
// INTERNAL_SERVER_ERROR, its 500 inside a 200), and an owner account's security fields never change.
describe('GraphQL user mutations with random data, against an owner account', () => {
  const USER = 'plugin::users-permissions.user';
  const USER_FIELDS = 'documentId email blocked confirmed provider role { type }';
  const CREATE = `mutation($data: UsersPermissionsUserInput!) { createUsersPermissionsUser(data: $data) { data { ${USER_FIELDS} } } }`;
  const UPDATE = `mutation($id: ID!, $data: UsersPermissionsUserInput!) { updateUsersPermissionsUser(id: $id, data: $data) { data { ${USER_FIELDS} } } }`;
  const OWNER_EMAIL = Symbol('the owner’s email');

  /** The fields an attacker wants to change, as stored. */
  async function securityFields(id: number) {
    const row = await playground()
      .strapi.db.query(USER)
      .findOne({ where: { id }, populate: ['role'] });
    const { email, blocked, confirmed, provider, password } = row;
    return { email, blocked, confirmed, provider, password, role: row.role?.type ?? null };
  }

  /** Random user data: well-typed values, roles by id and documentId, the owner's own email, and junk. */
  type Field = 'username' | 'email' | 'password' | 'role' | 'blocked' | 'confirmed' | 'provider';
  async function userData({ requiredKeys = [], only, junk = true }: { requiredKeys?: Field[]; only?: Field[]; junk?: boolean } = {}) {
    // Mostly a well-typed value (so the request gets past GraphQL's coercion to the resolver), sometimes junk.
    const mostly = <T>(typed: fc.Arbitrary<T>) =>
      junk
        ? fc.oneof({ weight: 5, arbitrary: typed as fc.Arbitrary<unknown> }, { weight: 1, arbitrary: anyValue as fc.Arbitrary<unknown> })
        : (typed as fc.Arbitrary<unknown>);
    const roles: Array<{ id: number; documentId: string; type: string }> = await playground()
      .strapi.db.query('plugin::users-permissions.role')
      .findMany();
    const references = (wanted: (type: string) => boolean) =>
      fc.constantFrom(...roles.filter((r) => wanted(r.type)).flatMap((r) => [String(r.id), r.documentId, r.id]));
    const restricted = (type: string) => type === 'owner' || type === 'administrator';
    // By id (string or number) or documentId; the owner and administrator roles more often than the others.
    const role = mostly(
      fc.oneof(
        { weight: 3, arbitrary: references(restricted) },
        { weight: 2, arbitrary: references((type) => !restricted(type)) },
        { weight: 1, arbitrary: fc.integer({ min: -1, max: 1000 }).map(String) },
        { weight: 1, arbitrary: fc.constant(null) },
      ),
    );
    const email = mostly(
      fc.oneof(
        fc.nat().map((n) => `fuzz-${n}@example.test`),
        fc.emailAddress(),
        fc.constant(OWNER_EMAIL),
      ),
    );
    const password = mostly(
      fc.oneof(
        { weight: 1, arbitrary: fc.constantFrom('password1', '', 'Tide-0123456789-Lantern') },
        { weight: 3, arbitrary: fc.string({ minLength: 12, maxLength: 40 }).map((s) => `Aa9-${s}`) },
      ),
    );
    const flag = mostly(fc.oneof(fc.boolean(), fc.constant(null)));
    const provider = mostly(fc.constantFrom('local', 'google', 'github', ''));
    const username = mostly(fc.string({ minLength: 3, maxLength: 12 }).map((s) => `fuzz-${s}`));
    const fields = { username, email, password, role, blocked: flag, confirmed: flag, provider };
    const chosen = only ? Object.fromEntries(only.map((field) => [field, fields[field]])) : fields;
    return fc.record(chosen, { requiredKeys });
  }

  let sent = 0;
  /** Requests that got past GraphQL's validation to the resolver: the fuzzing reaches the code it is about. */
  let reached = 0;
  /** The owner's email put in (upper-cased, as a lookup might miss it), and string usernames made unique. */
  const prepare = (data: Record<string, unknown>, ownerEmail: string) =>
    Object.fromEntries(
      Object.entries(data).map(([key, value]) => {
        if (value === OWNER_EMAIL) return [key, ownerEmail.toUpperCase()];
        if (key === 'username' && typeof value === 'string') return [key, `${value}-${++sent}`];
        return [key, value];
      }),
    );

  async function send(accessKey: string, query: string, variables: Record<string, unknown>) {
    const res = await postGraphql(accessKey, query, variables);
    expect(res.status < 500).toBe(true);
    expect(errorCodes(res)).not.toContain('INTERNAL_SERVER_ERROR');
    if (res.status === 200) reached++;
    return res;
  }

  it('updateUsersPermissionsUser never answers 5xx and never changes the owner’s stored row', async () => {
    const { accounts, admins } = playground();
    const { accessKey } = await admins.apiToken('full-access');
    // Any mix of fields, and as often only the fields no lifecycle rule looked at before (not password, not role).
    const data = fc.oneof(await userData(), await userData({ only: ['email', 'blocked', 'confirmed', 'provider', 'username'] }));
    reached = 0;
    // The owner addressed as users-permissions takes it, and in forms that might slip past a lookup by id.
    const address = fc.constantFrom('id', 'leading-zero', 'decimal', 'spaced', 'documentId');
    await fc.assert(
      fc.asyncProperty(data, address, async (payload, form) => {
        const owner = await accounts.create('owner');
        const before = await securityFields(owner.id);
        const id = {
          id: String(owner.id),
          'leading-zero': `0${owner.id}`,
          decimal: `${owner.id}.0`,
          spaced: ` ${owner.id}`,
          documentId: owner.documentId,
        }[form];
        await send(accessKey, UPDATE, { id, data: prepare(payload, owner.email) });
        expect(await securityFields(owner.id)).toEqual(before);
      }),
      { numRuns: 30 },
    );
    expect(reached).toBeGreaterThan(10);
  }, 120000);

  it('createUsersPermissionsUser never answers 5xx, never changes the owner’s row, and never makes an owner or administrator', async () => {
    const { strapi, accounts, admins } = playground();
    const { accessKey } = await admins.apiToken('full-access');
    const owner = await accounts.create('owner');
    // What users-permissions requires of a new account is always there (if not always valid).
    const required: Field[] = ['username', 'email', 'password', 'role'];
    const data = fc.oneof(
      await userData({ requiredKeys: required }),
      await userData({ requiredKeys: required, only: required, junk: false }),
    );
    reached = 0;
    const restricted = () => strapi.db.query(USER).count({ where: { role: { type: { $in: ['owner', 'administrator'] } } } });
    await fc.assert(
      fc.asyncProperty(data, async (payload) => {
        const before = { owner: await securityFields(owner.id), restricted: await restricted() };
        await send(accessKey, CREATE, { data: prepare(payload, owner.email) });
        expect({ owner: await securityFields(owner.id), restricted: await restricted() }).toEqual(before);
      }),
      { numRuns: 30 },
    );
    expect(reached).toBeGreaterThan(10);
  }, 120000);
});

// The NUL character: PostgreSQL can neither store nor compare text holding it, so a lookup by such a value used
// to fail in the database (a 500 from users-permissions' own user routes; found by the GraphQL fuzzing above).
// Likewise an address longer than its column. Every database gets the same 400 now, and nothing changes.
describe('values the database cannot store', () => {
  const NUL_NAME = 'nul-\u0000-name';
  const UPDATE = `mutation($id: ID!, $data: UsersPermissionsUserInput!) { updateUsersPermissionsUser(id: $id, data: $data) { data { documentId } } }`;
  const CREATE = `mutation($data: UsersPermissionsUserInput!) { createUsersPermissionsUser(data: $data) { data { documentId } } }`;
  const storedUser = (id: number) => playground().strapi.db.query('plugin::users-permissions.user').findOne({ where: { id } });
  const graphqlCodes = async (accessKey: string, query: string, variables: object) =>
    errorCodes(await postGraphql(accessKey, query, variables));
  const newAccount = () => ({ username: NUL_NAME, email: `nul-${Date.now()}@example.test`, password: 'Tide-0123456789-Lantern', role: 1 });

  it('an address longer than 254 characters is refused with a 400 by users-permissions’ routes and GraphQL', async () => {
    const { http, accounts, admins } = playground();
    const account = await accounts.create('activated');
    const { accessKey } = await admins.apiToken('full-access');
    const email = `${'x'.repeat(250)}@example.test`;
    const rest = await http().put(`/api/users/${account.id}`).set('Authorization', `Bearer ${accessKey}`).send({ email });
    const graphql = await graphqlCodes(accessKey, UPDATE, { id: String(account.id), data: { email } });
    expect([rest.status, graphql]).toEqual([400, ['BAD_USER_INPUT']]);
    expect(rest.body.error.message).toBe('"email" must be at most 254 characters long.');
    const stored = await storedUser(account.id);
    expect(stored.email).toBe(account.email);
  });

  it('the NUL character is refused with a 400 by users-permissions’ REST routes and our own, and changes nothing', async () => {
    const { http, accounts, admins } = playground();
    const account = await accounts.create('activated');
    const { accessKey } = await admins.apiToken('full-access');
    const before = await snapshot();
    const token = (request: ReturnType<ReturnType<typeof http>['post']>) => request.set('Authorization', `Bearer ${accessKey}`);
    const answers = {
      'PUT /api/users/:id': await token(http().put(`/api/users/${account.id}`)).send({ username: NUL_NAME }),
      'PUT /api/users/:id (nested)': await token(http().put(`/api/users/${account.id}`)).send({ provider: ['lo\u0000cal'] }),
      'POST /api/users': await token(http().post('/api/users')).send(newAccount()),
      'POST /api/auth/local/register': await http().post('/api/auth/local/register').send(newAccount()),
      'POST /api/auth/local': await http().post('/api/auth/local').send({ identifier: NUL_NAME, password: 'x' }),
      'POST /api/password-reset/forgot-password': await http()
        .post('/api/password-reset/forgot-password')
        .send({ email: 'a\u0000b@example.test' }),
    };
    const statuses = Object.fromEntries(Object.entries(answers).map(([route, res]) => [route, res.status]));
    expect(statuses).toEqual(Object.fromEntries(Object.keys(answers).map((route) => [route, 400])));
    expect(answers['PUT /api/users/:id'].body.error.message).toBe('"username" must not contain the NUL character.');
    expect(await snapshot()).toBe(before);
    const stored = await storedUser(account.id);
    expect(stored.username).toBe(account.username);
  });

  it('the NUL character is refused with a 400 by the Content Manager’s form, and changes nothing', async () => {
    const { accounts, admins } = playground();
    const account = await accounts.create('activated');
    const { token } = await admins.loginSuperAdmin();
    const res = await admins.contentManagerUpdate(token, account.documentId, { username: NUL_NAME });
    expect(res.status).toBe(400);
    const stored = await storedUser(account.id);
    expect(stored.username).toBe(account.username);
  });

  it('the NUL character is refused as bad input by users-permissions’ GraphQL user mutations', async () => {
    const { accounts, admins } = playground();
    const account = await accounts.create('activated');
    const { accessKey } = await admins.apiToken('full-access');
    const update = await graphqlCodes(accessKey, UPDATE, { id: String(account.id), data: { username: NUL_NAME } });
    const create = await graphqlCodes(accessKey, CREATE, { data: { ...newAccount(), role: '1' } });
    expect([update, create]).toEqual([['BAD_USER_INPUT'], ['BAD_USER_INPUT']]);
    const stored = await storedUser(account.id);
    expect(stored.username).toBe(account.username);
  });
});
