// Attacks through POST /graphql (@strapi/plugin-graphql in the playground). GraphQL reaches users-permissions'
// user controller and the Document Service by its own route, so every rule that holds on the REST routes is
// tried again here: the plugin's tables stay out of the schema, owner and privileged accounts keep their role,
// password, email and blocked flag, the password policy holds, and users-permissions' forgotPassword and
// resetPassword mutations go through this plugin's codes. Each test checks what the attacker sees and what
// the database holds afterwards.
import { randomBytes } from 'node:crypto';
import { usePlayground } from '../helpers/strapi';
import { strongPassword, type AccountKind } from '../helpers/accounts';
import { tokenFromLink } from '../helpers/smtp';

const playground = usePlayground();

const USER = 'plugin::users-permissions.user';
const ROLE = 'plugin::users-permissions.role';
const PLUGIN_TABLES = ['code', 'audit-event', 'account-state'].map((name) => `plugin::password-reset.${name}`);

// Relation inputs are GraphQL `ID`s; users-permissions hands them to the Document Service, which takes the
// role's numeric id or its documentId. `id` of updateUsersPermissionsUser is the user's numeric id.
const USER_FIELDS = 'documentId username email blocked confirmed provider role { type }';
const CREATE_USER = `mutation CreateUser($data: UsersPermissionsUserInput!) {
  createUsersPermissionsUser(data: $data) { data { ${USER_FIELDS} } }
}`;
const UPDATE_USER = `mutation UpdateUser($id: ID!, $data: UsersPermissionsUserInput!) {
  updateUsersPermissionsUser(id: $id, data: $data) { data { ${USER_FIELDS} } }
}`;
const FORGOT_PASSWORD = `mutation Forgot($email: String!) { forgotPassword(email: $email) { ok } }`;
const RESET_PASSWORD = `mutation Reset($code: String!, $password: String!, $passwordConfirmation: String!) {
  resetPassword(code: $code, password: $password, passwordConfirmation: $passwordConfirmation) { jwt user { email } }
}`;

interface GraphqlError {
  message: string;
  extensions?: { code?: string; error?: { name?: string } };
}
interface GraphqlAnswer {
  status: number;
  data?: Record<string, unknown> | null;
  errors: GraphqlError[];
}

let fullAccess: { id: number; accessKey: string };
let readOnly: { id: number; accessKey: string };

beforeAll(async () => {
  const { admins, strapi } = playground();
  fullAccess = await admins.apiToken('full-access');
  readOnly = await admins.apiToken('read-only');
  // An ordinary role besides `authenticated`, to show that a role change through GraphQL works where it may.
  await strapi.db.query(ROLE).create({ data: { type: 'editor', name: 'Editor', description: 'An ordinary role for the tests.' } });
});

/** POSTs one GraphQL operation, as the given API token or as a visitor (null). */
async function graphql(token: string | null, query: string, variables?: Record<string, unknown>): Promise<GraphqlAnswer> {
  let request = playground().http().post('/graphql').set('Content-Type', 'application/json');
  if (token) request = request.set('Authorization', `Bearer ${token}`);
  const res = await request.send({ query, variables });
  return { status: res.status, data: res.body.data, errors: res.body.errors ?? [] };
}

const messages = (answer: GraphqlAnswer) => answer.errors.map((error) => error.message).join('\n');

async function role(type: string) {
  return playground().strapi.db.query(ROLE).findOne({ where: { type } });
}

/** The stored row, role included. */
async function stored(id: number) {
  return playground()
    .strapi.db.query(USER)
    .findOne({ where: { id }, populate: ['role'] });
}

async function rowCounts() {
  const { strapi, settle } = playground();
  await settle();
  return Promise.all(PLUGIN_TABLES.map((uid) => strapi.db.query(uid).count()));
}

const uniqueEmail = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}@example.test`;

describe.each([
  ['full-access', () => fullAccess.accessKey],
  ['read-only', () => readOnly.accessKey],
])('a %s API token and the plugin’s tables', (_type, token) => {
  it('cannot read or write the plugin’s tables through GraphQL', async () => {
    const before = await rowCounts();

    const introspection = await graphql(
      token(),
      '{ __schema { types { name } queryType { fields { name } } mutationType { fields { name } } } }',
    );
    expect(introspection.status).toBe(200);
    const schema = introspection.data?.__schema as {
      types: Array<{ name: string }>;
      queryType: { fields: Array<{ name: string }> };
      mutationType: { fields: Array<{ name: string }> };
    };
    const types = schema.types.map((type) => type.name);
    const queries = schema.queryType.fields.map((field) => field.name);
    const mutations = schema.mutationType.fields.map((field) => field.name);
    // The introspection answered: users-permissions' own entries are there.
    expect(types).toContain('UsersPermissionsUser');
    expect(queries).toContain('usersPermissionsUsers');
    expect(mutations).toContain('updateUsersPermissionsUser');
    const ours = /PasswordReset|ActivationCode|AuditEvent|AccountState/i;
    expect(types.filter((name) => ours.test(name))).toEqual([]);
    expect(queries.filter((name) => ours.test(name))).toEqual([]);
    expect(mutations.filter((name) => ours.test(name))).toEqual([]);

    for (const query of [
      '{ passwordResetAuditEvents { documentId action actorType } }',
      '{ passwordResetCodes { documentId userId } }',
      '{ passwordResetActivationCodes { documentId userId } }',
      '{ passwordResetAccountStates { documentId userId } }',
      '{ passwordResetAuditEvents_connection { nodes { documentId } } }',
    ]) {
      const answer = await graphql(token(), query);
      expect(answer.status).toBe(400);
      expect(answer.errors[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(answer.data ?? null).toBeNull();
    }

    const expiresAt = new Date(Date.now() + 86400000).toISOString();
    for (const mutation of [
      `mutation { createPasswordResetCode(data: { userId: 1, purpose: reset, tokenHash: "${'0'.repeat(64)}", expiresAt: "${expiresAt}" }) { documentId } }`,
      `mutation { createPasswordResetActivationCode(data: { userId: 1, purpose: reset, tokenHash: "${'0'.repeat(64)}", expiresAt: "${expiresAt}" }) { documentId } }`,
      'mutation { createPasswordResetAuditEvent(data: { action: "password.changed", actorType: system }) { documentId } }',
      'mutation { createPasswordResetAccountState(data: { userId: 1 }) { documentId } }',
      'mutation { deletePasswordResetAuditEvent(documentId: "x") { documentId } }',
    ]) {
      const answer = await graphql(token(), mutation);
      expect(answer.status).toBe(400);
      expect(answer.errors[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(answer.data ?? null).toBeNull();
    }

    expect(await rowCounts()).toEqual(before);
  });
});

describe.each([
  { type: 'owner', refusal: /owner role/ },
  { type: 'administrator', refusal: /administrator access/ },
])('the $type role through GraphQL', ({ type, refusal }) => {
  it(`a full-access token cannot grant the ${type} role through createUsersPermissionsUser`, async () => {
    const { strapi } = playground();
    const target = await role(type);
    // Both forms a relation input takes: the numeric id and the documentId.
    for (const roleInput of [String(target.id), target.documentId]) {
      const usersBefore = await strapi.db.query(USER).count();
      const email = uniqueEmail('grant');
      const answer = await graphql(fullAccess.accessKey, CREATE_USER, {
        data: { username: email.split('@')[0], email, password: strongPassword(), role: roleInput },
      });
      expect(answer.data?.createUsersPermissionsUser ?? null).toBeNull();
      expect(messages(answer)).toMatch(refusal);
      expect(await strapi.db.query(USER).findOne({ where: { email } })).toBeNull();
      expect(await strapi.db.query(USER).count()).toBe(usersBefore);
    }
  });

  it(`a full-access token cannot move an account into the ${type} role through updateUsersPermissionsUser`, async () => {
    const { accounts } = playground();
    const target = await role(type);
    for (const roleInput of [String(target.id), target.documentId]) {
      const account = await accounts.create('activated');
      const answer = await graphql(fullAccess.accessKey, UPDATE_USER, { id: String(account.id), data: { role: roleInput } });
      expect(answer.data?.updateUsersPermissionsUser ?? null).toBeNull();
      expect(messages(answer)).toMatch(refusal);
      expect((await stored(account.id)).role.type).toBe('authenticated');
    }
  });
});

describe('the same user mutations where they are allowed (the query shapes work)', () => {
  it('a full-access token renames a regular account and moves it to an ordinary role, by id or documentId', async () => {
    const { accounts } = playground();
    const account = await accounts.create('activated');
    const editor = await role('editor');
    const authenticated = await role('authenticated');

    const renamed = await graphql(fullAccess.accessKey, UPDATE_USER, {
      id: String(account.id),
      data: { username: `renamed-${account.id}` },
    });
    expect(renamed.errors).toEqual([]);
    expect(renamed.data?.updateUsersPermissionsUser).toMatchObject({
      data: { documentId: account.documentId, username: `renamed-${account.id}` },
    });

    const byId = await graphql(fullAccess.accessKey, UPDATE_USER, { id: String(account.id), data: { role: String(editor.id) } });
    expect(byId.errors).toEqual([]);
    expect((await stored(account.id)).role.type).toBe('editor');
    const byDocumentId = await graphql(fullAccess.accessKey, UPDATE_USER, {
      id: String(account.id),
      data: { role: authenticated.documentId },
    });
    expect(byDocumentId.errors).toEqual([]);
    expect((await stored(account.id)).role.type).toBe('authenticated');
  });

  it('a full-access token creates an account with an ordinary role', async () => {
    const { strapi } = playground();
    const editor = await role('editor');
    const email = uniqueEmail('created');
    const answer = await graphql(fullAccess.accessKey, CREATE_USER, {
      data: { username: email.split('@')[0], email, password: strongPassword(), role: editor.documentId },
    });
    expect(answer.errors).toEqual([]);
    expect(answer.data?.createUsersPermissionsUser).toMatchObject({ data: { email, role: { type: 'editor' } } });
    expect(await strapi.db.query(USER).findOne({ where: { email } })).not.toBeNull();
  });

  it('a full-access token changes a regular account’s email and blocked flag', async () => {
    const { accounts } = playground();
    const account = await accounts.create('activated');
    const email = uniqueEmail('moved');
    const answer = await graphql(fullAccess.accessKey, UPDATE_USER, { id: String(account.id), data: { email, blocked: true } });
    expect(answer.errors).toEqual([]);
    expect(await stored(account.id)).toMatchObject({ email, blocked: true });
  });

  it('a read-only token cannot create or update a user at all', async () => {
    const { accounts } = playground();
    const account = await accounts.create('activated');
    const answer = await graphql(readOnly.accessKey, UPDATE_USER, { id: String(account.id), data: { username: 'nope' } });
    expect(answer.errors[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await stored(account.id)).username).toBe(account.username);
  });
});

describe('the id of users-permissions’ user mutations', () => {
  it('is a 4xx, never a 5xx, when it is not a numeric id (a documentId, say), on every database', async () => {
    const { accounts, strapi } = playground();
    const account = await accounts.create('activated');
    for (const id of [account.documentId, '2147483648', '-1']) {
      const answer = await graphql(
        fullAccess.accessKey,
        `mutation { updateUsersPermissionsUser(id: "${id}", data: { blocked: true }) { data { documentId } } }`,
      );
      expect(answer.status).toBeLessThan(500);
      expect(answer.errors[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(answer.errors[0]?.message).toMatch(/"id" must be a whole number/);
    }
    expect((await strapi.db.query('plugin::users-permissions.user').findOne({ where: { id: account.id } })).blocked).toBe(false);
  });
});

describe.each([
  { kind: 'owner' as AccountKind, an: 'an owner', refusal: /owner role/ },
  { kind: 'privileged' as AccountKind, an: 'a privileged', refusal: /administrator access/ },
])('$an account’s security fields through GraphQL', ({ kind, an, refusal }) => {
  it(`a full-access token cannot set ${an} account’s password, email or blocked flag through updateUsersPermissionsUser`, async () => {
    const { strapi, accounts, admins } = playground();
    const account = await accounts.create(kind);
    const before = await stored(account.id);
    const password = strongPassword();
    const refusalsBefore = await strapi.db
      .query('plugin::password-reset.audit-event')
      .count({ where: { targetUserId: account.id, action: 'restriction.refused' } });

    for (const data of [{ password }, { email: uniqueEmail('taken') }, { blocked: true }, { email: uniqueEmail('both'), password }]) {
      const answer = await graphql(fullAccess.accessKey, UPDATE_USER, { id: String(account.id), data });
      expect({ data, result: answer.data?.updateUsersPermissionsUser ?? null }).toEqual({ data, result: null });
      expect(messages(answer)).toMatch(refusal);
    }

    expect((await admins.loginAccount(account.email, account.password)).status).toBe(200);
    expect((await admins.loginAccount(account.email, password)).status).toBe(400);
    const after = await stored(account.id);
    expect({ email: after.email, blocked: after.blocked, password: after.password, role: after.role.type }).toEqual({
      email: before.email,
      blocked: before.blocked,
      password: before.password,
      role: kind === 'owner' ? 'owner' : 'administrator',
    });
    // The refusal of the password write is recorded, with the API token as the actor.
    const refused = await strapi.db
      .query('plugin::password-reset.audit-event')
      .findMany({ where: { targetUserId: account.id, action: 'restriction.refused' }, orderBy: { id: 'asc' } });
    expect(refused.length).toBeGreaterThan(refusalsBefore);
    expect(refused[refused.length - 1]).toMatchObject({ actorType: 'api-token', actorId: String(fullAccess.id) });
  });
});

describe('the password policy holds on GraphQL', () => {
  const policy = /at least 12 characters long|commonly used/;

  it('createUsersPermissionsUser with the password "password1" is refused, naming the policy, and nothing is stored', async () => {
    const { strapi } = playground();
    const authenticated = await role('authenticated');
    const usersBefore = await strapi.db.query(USER).count();
    const email = uniqueEmail('weak');
    const answer = await graphql(fullAccess.accessKey, CREATE_USER, {
      data: { username: email.split('@')[0], email, password: 'password1', role: String(authenticated.id) },
    });
    expect(answer.data?.createUsersPermissionsUser ?? null).toBeNull();
    expect(messages(answer)).toMatch(policy);
    expect(await strapi.db.query(USER).findOne({ where: { email } })).toBeNull();
    expect(await strapi.db.query(USER).count()).toBe(usersBefore);
  });

  it('updateUsersPermissionsUser with the password "password1" is refused, naming the policy, and the password stays', async () => {
    const { accounts, admins } = playground();
    const account = await accounts.create('activated');
    const before = await stored(account.id);
    const answer = await graphql(fullAccess.accessKey, UPDATE_USER, { id: String(account.id), data: { password: 'password1' } });
    expect(answer.data?.updateUsersPermissionsUser ?? null).toBeNull();
    expect(messages(answer)).toMatch(policy);
    expect((await stored(account.id)).password).toBe(before.password);
    expect((await admins.loginAccount(account.email, account.password)).status).toBe(200);
    expect((await admins.loginAccount(account.email, 'password1')).status).toBe(400);
  });

  it('a strong password through updateUsersPermissionsUser is accepted for a regular account', async () => {
    const { accounts, admins } = playground();
    const account = await accounts.create('activated');
    const password = strongPassword();
    const answer = await graphql(fullAccess.accessKey, UPDATE_USER, { id: String(account.id), data: { password } });
    expect(answer.errors).toEqual([]);
    expect((await admins.loginAccount(account.email, password)).status).toBe(200);
  });
});

describe('users-permissions’ GraphQL forgotPassword and resetPassword go through the plugin', () => {
  it('forgotPassword sends the plugin’s link, and resetPassword with its code sets the password, once', async () => {
    const { strapi, smtp, settle, accounts, admins } = playground();
    const account = await accounts.create('activated');
    const codes = () => strapi.db.query('plugin::password-reset.code').count({ where: { userId: account.id } });

    const forgot = await graphql(null, FORGOT_PASSWORD, { email: account.email });
    expect(forgot.errors).toEqual([]);
    expect(forgot.data).toEqual({ forgotPassword: { ok: true } });
    await settle();
    const [message] = await smtp.waitFor(account.email);
    const link = message.links.find((candidate) => candidate.includes('#token='));
    expect(link).toBeDefined();
    const code = tokenFromLink(link as string);
    expect(await codes()).toBe(1);
    // users-permissions' own token column is not used.
    expect((await stored(account.id)).resetPasswordToken ?? null).toBeNull();

    const weak = await graphql(null, RESET_PASSWORD, { code, password: 'password1', passwordConfirmation: 'password1' });
    expect(weak.data?.resetPassword ?? null).toBeNull();
    expect(messages(weak)).toMatch(/at least 12 characters long|commonly used/);

    const password = strongPassword();
    const reset = await graphql(null, RESET_PASSWORD, { code, password, passwordConfirmation: password });
    expect(reset.errors).toEqual([]);
    expect(reset.data?.resetPassword).toMatchObject({ jwt: expect.any(String), user: { email: account.email } });
    expect((await admins.loginAccount(account.email, password)).status).toBe(200);
    expect((await admins.loginAccount(account.email, account.password)).status).toBe(400);

    const again = strongPassword();
    const replay = await graphql(null, RESET_PASSWORD, { code, password: again, passwordConfirmation: again });
    expect(replay.data?.resetPassword ?? null).toBeNull();
    expect(replay.errors.length).toBeGreaterThan(0);
    expect((await admins.loginAccount(account.email, again)).status).toBe(400);
  });

  it('forgotPassword for an owner account answers the same and sends no code link', async () => {
    const { strapi, smtp, settle, accounts } = playground();
    const owner = await accounts.create('owner');
    const answer = await graphql(null, FORGOT_PASSWORD, { email: owner.email });
    expect(answer.errors).toEqual([]);
    expect(answer.data).toEqual({ forgotPassword: { ok: true } });
    await settle();
    for (const message of smtp.to(owner.email)) {
      expect(message.links.filter((link) => /#token=|[?&]code=/.test(link))).toEqual([]);
    }
    expect(await strapi.db.query('plugin::password-reset.code').count({ where: { userId: owner.id } })).toBe(0);
    expect((await stored(owner.id)).resetPasswordToken ?? null).toBeNull();
  });
});
