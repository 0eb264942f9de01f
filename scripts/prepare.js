#!/usr/bin/env node
// Builds what the tests and the demo need and is missing or stale: the plugin's dist/ (always, it takes
// seconds) and, with --admin, the playground's admin panel (only when absent or older than the plugin).
const { execSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const run = (command, cwd = root) =>
  execSync(command, { cwd, stdio: 'inherit', env: { ...process.env, STRAPI_TELEMETRY_DISABLED: 'true' } });

fs.mkdirSync(path.join(root, 'playground', 'public', 'uploads'), { recursive: true });
run('npx strapi-plugin build');

if (process.argv.includes('--admin')) {
  const marker = path.join(root, 'playground', 'build', 'index.html');
  const newestSource = (dir) =>
    fs
      .readdirSync(dir, { withFileTypes: true, recursive: true })
      .filter((entry) => entry.isFile())
      .reduce((newest, entry) => Math.max(newest, fs.statSync(path.join(entry.parentPath ?? entry.path, entry.name)).mtimeMs), 0);
  const sources = [path.join(root, 'admin', 'src'), path.join(root, 'playground', 'src', 'admin')];
  const stale = !fs.existsSync(marker) || sources.some((dir) => fs.statSync(marker).mtimeMs < newestSource(dir));
  if (stale) run('npx strapi build', path.join(root, 'playground'));
}
