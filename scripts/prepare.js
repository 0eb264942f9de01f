#!/usr/bin/env node
// Builds what the tests and the demo need and is missing or stale: the plugin's dist/ (when absent or older
// than its sources) and, with --admin, the playground's admin panel (when absent or older than the plugin).
const { execSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const run = (command, cwd = root) =>
  execSync(command, { cwd, stdio: 'inherit', env: { ...process.env, STRAPI_TELEMETRY_DISABLED: 'true' } });

/** Whether `marker` is missing or older than a file under one of `sources` (directories or files). */
const isStale = (marker, sources) => {
  if (!fs.existsSync(marker)) return true;
  const newest = (source) =>
    fs.statSync(source).isFile()
      ? fs.statSync(source).mtimeMs
      : fs
          .readdirSync(source, { withFileTypes: true, recursive: true })
          .filter((entry) => entry.isFile())
          .reduce((latest, entry) => Math.max(latest, fs.statSync(path.join(entry.parentPath ?? entry.path, entry.name)).mtimeMs), 0);
  const built = fs.statSync(marker).mtimeMs;
  return sources.some((source) => built < newest(source));
};

fs.mkdirSync(path.join(root, 'playground', 'public', 'uploads'), { recursive: true });
const pluginSources = ['server/src', 'admin/src', 'shared', 'package.json', 'tsconfig.json'].map((source) => path.join(root, source));
if (isStale(path.join(root, 'dist', 'server', 'index.js'), pluginSources)) run('npx strapi-plugin build');

if (process.argv.includes('--admin')) {
  const sources = [path.join(root, 'admin', 'src'), path.join(root, 'playground', 'src', 'admin')];
  if (isStale(path.join(root, 'playground', 'build', 'index.html'), sources)) run('npx strapi build', path.join(root, 'playground'));
}
