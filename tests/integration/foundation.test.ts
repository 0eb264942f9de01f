// The plugin loads into a real Strapi: its tables, its routes, and its first line of input checking.
import { startPlayground, usePlayground } from '../helpers/strapi';

const playground = usePlayground();

describe('the plugin inside a real Strapi', () => {
  it('registers its five content types, hidden from the Content Manager', async () => {
    const { strapi, http, admins } = playground();
    for (const uid of ['code', 'audit-event', 'account-state', 'outbox-message', 'job']) {
      const contentType = strapi.contentType(`plugin::password-reset.${uid}` as never) as {
        pluginOptions?: Record<string, { visible?: boolean }>;
      };
      expect(contentType).toBeDefined();
      expect(contentType.pluginOptions?.['content-manager']?.visible).toBe(false);
    }
    const { token } = await admins.loginSuperAdmin();
    const res = await http().get('/content-manager/content-types').set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(200);
    const ours = (res.body.data as Array<{ uid: string; isDisplayed: boolean }>).filter((ct) =>
      ct.uid.startsWith('plugin::password-reset.'),
    );
    expect(ours).toHaveLength(5);
    expect(ours.every((ct) => ct.isDisplayed === false)).toBe(true);
  });

  it('creates its tables in the database', async () => {
    const { strapi } = playground();
    for (const table of ['password_reset_codes', 'password_reset_audit_events', 'password_reset_account_states']) {
      expect(await strapi.db.getSchemaConnection().hasTable(table)).toBe(true);
    } // Link requests look accounts up by address: users-permissions' table gets an index for it.
    const indexes: Array<{ name: string; columns: string[] }> = await strapi.db.dialect.schemaInspector.getIndexes('up_users');
    expect(indexes.find((index) => index.name === 'up_users_email_lookup_idx')?.columns).toEqual(['email']);
    const codeIndexes: Array<{ name: string; type?: string }> = await strapi.db.dialect.schemaInspector.getIndexes('password_reset_codes');
    expect(codeIndexes.find((index) => index.name === 'password_reset_codes_token_hash_uq')?.type).toBe('unique');
  });

  it('serves its public routes and pages, and guards its admin routes', async () => {
    const { http } = playground();
    expect(
      (
        await http()
          .post('/api/password-reset/check')
          .send({ token: 'x'.repeat(43) })
      ).body,
    ).toEqual({ valid: false });
    const page = await http().get('/password-reset/forgot');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(
      (
        await http()
          .post('/password-reset/codes')
          .send({ userIds: [1] })
      ).status,
    ).toBe(401);
    expect((await http().get('/password-reset/audit')).status).toBe(401);
  });

  it('registers its RBAC actions', async () => {
    const { strapi } = playground();
    const provider = strapi.service('admin::permission').actionProvider;
    for (const action of ['send-code', 'set-password', 'manage-owners', 'read-audit', 'verify-pin']) {
      expect(provider.get(`plugin::password-reset.${action}`)).toBeDefined();
    }
  });
});

describe('POST /api/password-reset/forgot-password refuses a body that is not { email: <string> }', () => {
  const badBodies: Array<[string, unknown]> = [
    ['no email', {}],
    ['email as a number', { email: 42 }],
    ['email as an object', { email: { $ne: '' } }],
    ['email as an array', { email: ['a@example.test'] }],
    ['email as null', { email: null }],
    ['email that is not an address', { email: 'not-an-address' }],
    ['email longer than 254 characters', { email: `${'a'.repeat(250)}@example.test` }],
    ['a JSON array body', ['a@example.test']],
  ];

  it.each(badBodies)('%s → 400 with a message naming "email"', async (_label, body) => {
    const { http } = playground();
    const res = await http()
      .post('/api/password-reset/forgot-password')
      .send(body as object);
    expect(res.status).toBe(400);
    expect(res.body.error.name).toBe('ValidationError');
    expect(res.body.error.message).toMatch(/email|JSON object/);
  });
});

describe('a wrong option', () => {
  it('stops Strapi at boot with a message naming the option', async () => {
    await expect(
      startPlayground({ config: { codeTtlHours: { reset: 'one' as never }, roles: { owner: 'owner' as never } } }),
    ).rejects.toThrow(/password-reset[\s\S]*codeTtlHours\.reset: must be a number of hours from [\s\S]*roles\.owner: must be an array/);
  }, 60000);
});
