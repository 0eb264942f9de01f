// With takeOverUsersPermissionsRoutes off, users-permissions' own flow works as it ships — except that it can
// never reset a privileged or owner account: the user-model guard refuses the write.
import { usePlayground } from '../helpers/strapi';
import { strongPassword } from '../helpers/accounts';

const playground = usePlayground({ config: { takeOverUsersPermissionsRoutes: false } });

/** Ask users-permissions for its reset token; it stores it in plain text on the user row. */
async function builtInCode(accountId: number, email: string) {
  const { http, accounts } = playground();
  const res = await http().post('/api/auth/forgot-password').send({ email });
  expect(res.status).toBe(200);
  return (await accounts.stored(accountId)).resetPasswordToken as string | null;
}

describe('users-permissions’ own routes, given back', () => {
  it('reset a regular account the built-in way', async () => {
    const { http, accounts, admins } = playground();
    const account = await accounts.create('activated');
    const code = await builtInCode(account.id, account.email);
    expect(code).toMatch(/^[0-9a-f]{128}$/);
    const password = strongPassword();
    const res = await http().post('/api/auth/reset-password').send({ code, password, passwordConfirmation: password });
    expect(res.status).toBe(200);
    expect((await admins.loginAccount(account.email, password)).status).toBe(200);
  });

  it.each(['privileged', 'owner'] as const)('cannot reset a %s account: 403, password unchanged, refusal audited', async (kind) => {
    const { strapi, http, accounts, admins } = playground();
    const account = await accounts.create(kind);
    const code = await builtInCode(account.id, account.email);
    expect(code).toBeTruthy();
    const password = strongPassword();
    const res = await http().post('/api/auth/reset-password').send({ code, password, passwordConfirmation: password });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toMatch(kind === 'owner' ? /owner role/ : /administrator access/);
    expect((await admins.loginAccount(account.email, account.password)).status).toBe(200);
    expect((await admins.loginAccount(account.email, password)).status).toBe(400);
    await playground().waitForAudit({ targetUserId: account.id, action: 'restriction.refused' });
    const refusal = await strapi.db
      .query('plugin::password-reset.audit-event')
      .findOne({ where: { targetUserId: account.id, action: 'restriction.refused' } });
    expect(refusal).toMatchObject({ actorType: 'visitor' });
  });

  it('still lets the holder of a privileged account change their own password', async () => {
    const { http, accounts, admins } = playground();
    const account = await accounts.create('privileged');
    const login = await admins.loginAccount(account.email, account.password);
    const password = strongPassword();
    const res = await http()
      .post('/api/auth/change-password')
      .set('Authorization', `Bearer ${login.body.jwt}`)
      .send({ currentPassword: account.password, password, passwordConfirmation: password });
    expect(res.status).toBe(200);
    expect((await admins.loginAccount(account.email, password)).status).toBe(200);
  });
});
