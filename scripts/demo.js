#!/usr/bin/env node
// `npm run demo`: builds what is missing, starts an SMTP capture on loopback when SMTP_HOST is unset
// (printing each message's recipient, subject and links), seeds a first admin and demo accounts of every
// kind, and serves the playground. A second run reuses the build and the data. Ctrl-C stops everything.
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const root = path.resolve(__dirname, '..');
const appDir = path.join(root, 'playground');
const ADMIN = { email: 'admin@demo.test', password: 'Demo-Admin-2026', firstname: 'Demo', lastname: 'Admin' };
const ACCOUNT_PASSWORD = 'Demo-Password-2026';
const ACCOUNTS = [
  { kind: 'activated', confirmed: true, role: 'authenticated' },
  { kind: 'never-activated', confirmed: false, role: 'authenticated' },
  { kind: 'expired', confirmed: true, role: 'authenticated', expired: true },
  { kind: 'blocked', confirmed: true, blocked: true, role: 'authenticated' },
  { kind: 'privileged', confirmed: true, role: 'administrator' },
  { kind: 'owner', confirmed: true, role: 'owner' },
];

async function startMailCapture() {
  const { startSmtpCapture } = require('./smtp-capture');
  const port = Number(process.env.SMTP_PORT || 2525);
  const capture = await startSmtpCapture({
    port,
    onMessage(message) {
      console.log(`\n📧  To: ${message.to}\n    Subject: ${message.subject}`);
      message.links.forEach((link) => console.log(`    Link: ${link}`));
    },
  });
  process.env.SMTP_HOST = '127.0.0.1';
  process.env.SMTP_PORT = String(capture.port);
  console.log(`SMTP capture listening on 127.0.0.1:${capture.port}; emails are printed here.`);
  return capture;
}

async function seed(strapi) {
  const adminUsers = strapi.service('admin::user');
  if (!(await adminUsers.exists())) {
    const superAdmin = await strapi.service('admin::role').getSuperAdmin();
    await adminUsers.create({ ...ADMIN, isActive: true, registrationToken: null, roles: [superAdmin.id] });
  }
  const users = strapi.db.query('plugin::users-permissions.user');
  for (const account of ACCOUNTS) {
    const email = `${account.kind}@demo.test`;
    if (await users.findOne({ where: { email } })) continue;
    const role = await strapi.db.query('plugin::users-permissions.role').findOne({ where: { type: account.role } });
    const user = await strapi
      .plugin('users-permissions')
      .service('user')
      .add({
        username: account.kind,
        firstName: account.kind[0].toUpperCase() + account.kind.slice(1),
        email,
        password: ACCOUNT_PASSWORD,
        provider: 'local',
        confirmed: account.confirmed,
        blocked: Boolean(account.blocked),
        role: role.id,
      });
    if (account.expired) {
      await strapi
        .plugin('password-reset')
        .service('accounts')
        .updateState(user.id, { expiresAt: new Date(Date.now() - 86400000).toISOString() });
    }
  }
}

async function main() {
  execFileSync(process.execPath, [path.join(__dirname, 'prepare.js'), '--admin'], { stdio: 'inherit' });
  const capture = process.env.SMTP_HOST ? null : await startMailCapture();
  process.env.STRAPI_TELEMETRY_DISABLED = 'true';
  // The playground's accounts have a firstName field (playground/src/index.js); the demo's emails may use it.
  process.env.PASSWORD_RESET_CONFIG ??= JSON.stringify({ templateFields: ['firstName'] });

  const { createStrapi } = require('@strapi/strapi');
  const strapi = createStrapi({ appDir, distDir: appDir, autoReload: false });
  // createStrapi listens for SIGINT and SIGTERM itself; a second listener made Strapi's destroy run twice (a stack
  // trace, exit 1). The one below stops Strapi and the SMTP capture, once, and exits 0.
  process.removeAllListeners('SIGINT');
  process.removeAllListeners('SIGTERM');
  await strapi.load();
  await seed(strapi);
  await strapi.start();

  const url = strapi.config.get('server.absoluteUrl');
  console.log(`
Password reset playground is running at ${url}
  Admin panel:            ${url}/admin   (${ADMIN.email} / ${ADMIN.password})
  Forgotten-password page: ${url}/password-reset/forgot
  Demo accounts (password ${ACCOUNT_PASSWORD}): ${ACCOUNTS.map((a) => `${a.kind}@demo.test`).join(', ')}
Press Ctrl-C to stop.`);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await strapi.destroy();
    if (capture) await capture.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
