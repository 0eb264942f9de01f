#!/usr/bin/env node
// Serves the playground in its own process, configured entirely by environment variables (DB, DATABASE_*,
// SMTP_*, PORT, PASSWORD_RESET_CONFIG, …), and prints "READY <url>" once it listens. Used by the multi-instance
// test and the benchmarks; SIGTERM stops it cleanly.
const path = require('node:path');
const { createStrapi } = require('@strapi/strapi');

async function main() {
  const appDir = path.resolve(__dirname, '..', 'playground');
  const strapi = createStrapi({ appDir, distDir: appDir, autoReload: false, serveAdminPanel: false });
  // createStrapi listens for SIGTERM and SIGINT itself; with a second listener here, Strapi's destroy ran twice and
  // the second ("Destroy … has already been called") made the process exit 1. One listener, once.
  process.removeAllListeners('SIGTERM');
  process.removeAllListeners('SIGINT');
  await strapi.start();
  // The address it really listens on (PORT=0 picks a free port).
  const { address, port } = strapi.server.httpServer.address();
  process.stdout.write(`READY http://${address}:${port}\n`);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await strapi.destroy();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
