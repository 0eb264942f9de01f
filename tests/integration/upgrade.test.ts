// Upgrading from 0.1.0 (README, "Upgrading"): the previous release, as published (its package is in
// tests/fixtures), runs the site first; then this version boots on the same database. The codes' table keeps its
// rows under the renamed content type, a link mailed before the upgrade still works once, the audit log keeps
// its history, and the outbox tables appear.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import request from 'supertest';
import { createFreshDatabase } from '../helpers/database';
import { freePort } from '../helpers/ports';
import { spawnPlayground } from '../helpers/process';
import { startSmtpCapture, tokenFromLink } from '../helpers/smtp';
import { startPlayground, type Playground } from '../helpers/strapi';

jest.setTimeout(240000);

const ROOT = resolve(__dirname, '..', '..');
const PREVIOUS = '0.1.0';
const PASSWORD = 'Upgrade-Passphrase-2026';
const NEW_PASSWORD = 'After-The-Upgrade-2026!';

/** The previous release unpacked inside the repository, so that it finds its dependencies in node_modules. */
function unpackPreviousRelease() {
  const dir = join(ROOT, '.tmp', `upgrade-${PREVIOUS}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  execFileSync('tar', ['-xzf', join(ROOT, 'tests', 'fixtures', `strapi-plugin-password-reset-${PREVIOUS}.tgz`), '-C', dir]);
  return join(dir, 'package');
}

let current: Playground | undefined;
afterAll(async () => {
  await current?.close();
});

it(`keeps the data of ${PREVIOUS}: a code mailed before the upgrade works once, the audit history stays`, async () => {
  const database = await createFreshDatabase();
  const smtp = await startSmtpCapture();
  const port = await freePort();
  const accounts = ['ada', 'grace', 'linus'].map((name) => ({ username: `${name}-upgrade`, email: `${name}-upgrade@example.test` }));
  const mailed: Record<string, string> = {};
  let jwtBeforeReset = '';
  try {
    const previous = await spawnPlayground({
      ...database.env,
      PASSWORD_RESET_PATH: unpackPreviousRelease(),
      PASSWORD_RESET_CONFIG: JSON.stringify({ rateLimit: { enabled: false } }),
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(smtp.port),
      HOST: '127.0.0.1',
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      UP_RATE_LIMIT: 'false',
    });
    try {
      for (const account of accounts) {
        const registered = await request(previous.url)
          .post('/api/auth/local/register')
          .send({ ...account, password: PASSWORD });
        expect(registered.status).toBe(200);
        const asked = await request(previous.url).post('/api/password-reset/forgot-password').send({ email: account.email });
        expect(asked.status).toBe(200);
        const [message] = await smtp.waitFor(account.email);
        mailed[account.email] = tokenFromLink(message.links[0]);
      }
      // Linus signs in, then resets his password on 0.1: the session from before the reset must stay dead.
      const linus = accounts[2];
      jwtBeforeReset = (await request(previous.url).post('/api/auth/local').send({ identifier: linus.email, password: PASSWORD })).body.jwt;
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const reset = await request(previous.url)
        .post('/api/password-reset/reset')
        .send({ token: mailed[linus.email], password: NEW_PASSWORD, passwordConfirmation: NEW_PASSWORD });
      expect(reset.status).toBe(200);
      expect((await request(previous.url).get('/api/users/me').set('Authorization', `Bearer ${jwtBeforeReset}`)).status).toBe(401);
    } finally {
      await previous.stop();
    }
  } finally {
    await smtp.close();
  }

  current = await startPlayground({ database });
  const { strapi, http } = current;
  const issuedBefore = await strapi.db.query('plugin::password-reset.audit-event').count({ where: { action: 'code.issued' } });
  expect(issuedBefore).toBe(3);
  expect(await strapi.db.query('plugin::password-reset.code').count({ where: { usedAt: null, revokedAt: null } })).toBe(2);
  // The moment of Linus's reset moved to his account row; the JWT from before it is still refused.
  expect((await http().get('/api/users/me').set('Authorization', `Bearer ${jwtBeforeReset}`)).status).toBe(401);
  expect((await http().post('/api/auth/local').send({ identifier: accounts[2].email, password: NEW_PASSWORD })).status).toBe(200);
  expect(await strapi.db.query('plugin::password-reset.outbox-message').count()).toBe(0);

  // Ada's link from before the upgrade sets her password, once; the old one stops, the new one logs in.
  const [ada, grace] = accounts;
  const reset = await http()
    .post('/api/password-reset/reset')
    .send({ token: mailed[ada.email], password: NEW_PASSWORD, passwordConfirmation: NEW_PASSWORD });
  expect(reset.status).toBe(200);
  const again = await http()
    .post('/api/password-reset/reset')
    .send({ token: mailed[ada.email], password: NEW_PASSWORD, passwordConfirmation: NEW_PASSWORD });
  expect(again.status).toBe(400);
  expect((await http().post('/api/auth/local').send({ identifier: ada.email, password: PASSWORD })).status).toBe(400);
  expect((await http().post('/api/auth/local').send({ identifier: ada.email, password: NEW_PASSWORD })).status).toBe(200);

  // Grace asks again after the upgrade: the email goes through the outbox and her code from before is revoked.
  expect((await http().post('/api/password-reset/forgot-password').send({ email: grace.email })).status).toBe(200);
  const [fresh] = await current.smtp.waitFor(grace.email);
  await current.settle();
  const stale = await http().post('/api/password-reset/check').send({ token: mailed[grace.email] });
  expect(stale.body).toEqual({ valid: false });
  const live = await http()
    .post('/api/password-reset/check')
    .send({ token: tokenFromLink(fresh.links[0]) });
  expect(live.body).toMatchObject({ valid: true, purpose: 'reset' });
  // Both emails after the upgrade went through the outbox: Ada's password-changed notice and Grace's link.
  const outbox = await strapi.db
    .query('plugin::password-reset.outbox-message')
    .findMany({ select: ['kind', 'state'], orderBy: { id: 'asc' } });
  expect(outbox).toEqual([
    { kind: 'notice', state: 'sent' },
    { kind: 'request', state: 'sent' },
  ]);
  expect(await strapi.db.query('plugin::password-reset.audit-event').count({ where: { action: 'code.issued' } })).toBe(issuedBefore + 1);
});

it('adopts a reset link users-permissions mailed before the plugin was installed: it works once, under the plugin’s rules', async () => {
  const database = await createFreshDatabase();
  const smtp = await startSmtpCapture();
  const port = await freePort();
  const account = { username: 'hedy-install', email: 'hedy-install@example.test' };
  let code = '';
  let jwtBefore = '';
  try {
    // The site before the plugin: users-permissions alone, its own forgot-password route and email.
    const plain = await spawnPlayground({
      ...database.env,
      PASSWORD_RESET_ENABLED: 'false',
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(smtp.port),
      HOST: '127.0.0.1',
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      UP_RATE_LIMIT: 'false',
    });
    try {
      expect(
        (
          await request(plain.url)
            .post('/api/auth/local/register')
            .send({ ...account, password: PASSWORD })
        ).status,
      ).toBe(200);
      jwtBefore = (await request(plain.url).post('/api/auth/local').send({ identifier: account.email, password: PASSWORD })).body.jwt;
      expect((await request(plain.url).post('/api/auth/forgot-password').send({ email: account.email })).status).toBe(200);
      const [message] = await smtp.waitFor(account.email);
      code = /code=([0-9a-f]{128})/.exec(`${message.text} ${message.html}`)?.[1] ?? '';
      expect(code).not.toBe('');
    } finally {
      expect(await plain.stop()).toBe(0);
    }
  } finally {
    await smtp.close();
  }

  // One Strapi per process at a time: the first story's is done.
  await current?.close();
  current = undefined;
  const installed = await startPlayground({ database });
  try {
    const { strapi, http } = installed;
    // The clear token is gone from the account row; what is left is a hashed code of this plugin.
    const row = await strapi.db.query('plugin::users-permissions.user').findOne({ where: { email: account.email } });
    expect(row.resetPasswordToken).toBeNull();
    expect((await http().post('/api/password-reset/check').send({ token: code })).body).toMatchObject({ valid: true, purpose: 'reset' });

    const reset = (password: string) => http().post('/api/auth/reset-password').send({ code, password, passwordConfirmation: password });
    // The plugin's policy holds (a password users-permissions would take is refused, and the link stays usable).
    expect((await reset('short1')).status).toBe(400);
    const done = await reset(NEW_PASSWORD);
    expect(done.status).toBe(200);
    expect(done.body.jwt).toBeTruthy();
    expect((await reset(NEW_PASSWORD)).status).toBe(400);
    // The session from before the reset ends; the new password signs in.
    expect((await http().get('/api/users/me').set('Authorization', `Bearer ${jwtBefore}`)).status).toBe(401);
    expect((await http().post('/api/auth/local').send({ identifier: account.email, password: NEW_PASSWORD })).status).toBe(200);
  } finally {
    await installed.close();
  }
});
