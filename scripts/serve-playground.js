#!/usr/bin/env node
// Serves the playground in its own process, configured entirely by environment variables (DB, DATABASE_*,
// SMTP_*, PORT, PASSWORD_RESET_CONFIG, …), and prints "READY <url>" once it listens. Used by the multi-instance
// test and the benchmarks; SIGTERM stops it cleanly.
const path = require('node:path');
const { createStrapi } = require('@strapi/strapi');

async function main() {
  const appDir = path.resolve(__dirname, '..', 'playground');
  const strapi = createStrapi({ appDir, distDir: appDir, autoReload: false, serveAdminPanel: false });
  await strapi.start();
  // The address it really listens on (PORT=0 picks a free port).
  const { address, port } = strapi.server.httpServer.address();
  process.stdout.write(`READY http://${address}:${port}\n`);
  const stop = async () => {
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
