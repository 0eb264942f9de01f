// Settings saved in the admin panel survive a restart: a second boot on the same database applies them at once.
import { startPlayground } from '../helpers/strapi';
import { createFreshDatabase } from '../helpers/database';

jest.setTimeout(240000);

it('a reset link lifetime saved before a restart is the one the restarted Strapi uses', async () => {
  const database = await createFreshDatabase();
  const first = await startPlayground({ database: { ...database, drop: async () => undefined } });
  try {
    const { token } = await first.admins.loginSuperAdmin();
    const saved = await first.admins.pluginRoutes(token).put('/settings', { 'codeTtlHours.reset': 0.5, notifyIneligible: false });
    expect(saved.status).toBe(200);
  } finally {
    await first.close();
  }

  const second = await startPlayground({ database });
  try {
    const token = await second.admins.adminLogin('super@admin.test');
    const read = await second.admins.pluginRoutes(token).get('/settings');
    expect(read.body.values).toMatchObject({ 'codeTtlHours.reset': 0.5, notifyIneligible: false });

    const account = await second.accounts.create('activated');
    const asked = Date.now();
    expect((await second.http().post('/api/password-reset/forgot-password').send({ email: account.email })).status).toBe(200);
    await second.smtp.waitFor(account.email);
    const [code] = await second.strapi.db.query('plugin::password-reset.code').findMany({ where: { userId: account.id } });
    const lifetime = new Date(code.expiresAt).getTime() - asked;
    expect(lifetime).toBeGreaterThan(29 * 60_000);
    expect(lifetime).toBeLessThan(31 * 60_000);
  } finally {
    await second.close();
  }
});
