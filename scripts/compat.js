#!/usr/bin/env node
// Runs the integration suite (SQLite) against older Strapi 5 releases: for each version in compat/versions.json (or
// --versions), a copy of the repository in .compat/<version>/ with the @strapi/* pins moved, installed from
// compat/<version>/package-lock.json (created on first run), then prepare.js and jest. One summary line per version.
//
//   node scripts/compat.js [--versions 5.30.0,5.45.0] [--reinstall] [--update-lock] [-- <jest args, e.g. a test file>]
//
// --reinstall     reinstall even when .compat/<version>/node_modules matches the lockfile
// --update-lock   resolve with `npm install` and write compat/<version>/package-lock.json again
// --install-only  copy and install, run no tests (to warm .compat/ or write lockfiles)
// After `--`, arguments go to jest in place of the whole integration project (e.g. tests/integration/foundation.test.ts).
const { spawnSync, execFileSync } = require('node:child_process');
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const listFile = path.join(root, 'compat', 'versions.json');
const workRoot = path.join(root, '.compat');
const reportDir = path.join(root, 'test-output');
// Never copied: built or installed things, and the copies themselves.
const SKIP = [
  /^node_modules\//,
  /^\.compat\//,
  /^dist\//,
  /^test-output\//,
  /^playground\/(build|dist|\.tmp|\.strapi|database)\//,
  /^\.tmp\//,
];

function parseArgs(argv) {
  const dash = argv.indexOf('--');
  const own = dash === -1 ? argv : argv.slice(0, dash);
  const options = {
    jestArgs: dash === -1 ? null : argv.slice(dash + 1),
    reinstall: false,
    updateLock: false,
    installOnly: false,
    versions: null,
  };
  for (let i = 0; i < own.length; i += 1) {
    const arg = own[i];
    if (arg === '--reinstall') options.reinstall = true;
    else if (arg === '--update-lock') options.updateLock = true;
    else if (arg === '--install-only') options.installOnly = true;
    else if (arg === '--versions' || arg.startsWith('--versions=')) {
      const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : own[++i];
      options.versions = String(value ?? '')
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean);
    } else throw new Error(`unknown option ${arg} (see the top of scripts/compat.js)`);
  }
  return options;
}

// The files git would commit (tracked, plus new files not ignored); outside a git checkout, every file but SKIP.
function repositoryFiles() {
  try {
    const out = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return out.split('\0').filter((file) => file && !SKIP.some((re) => re.test(file)) && fs.existsSync(path.join(root, file)));
  } catch {
    return fs
      .readdirSync(root, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) =>
        path
          .relative(root, path.join(entry.parentPath ?? entry.path, entry.name))
          .split(path.sep)
          .join('/'),
      )
      .filter((file) => !SKIP.some((re) => re.test(file)));
  }
}

// Fresh copy of the sources; node_modules (and nothing else) survives from an earlier run.
function copyRepository(dir) {
  fs.mkdirSync(dir, { recursive: true });
  for (const entry of fs.readdirSync(dir)) if (entry !== 'node_modules') fs.rmSync(path.join(dir, entry), { recursive: true, force: true });
  for (const file of repositoryFiles()) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.copyFileSync(path.join(root, file), path.join(dir, file));
  }
}

// Every @strapi/* pin equal to the baseline becomes `version`; the design system, icons and sdk-plugin have their own numbers.
function movePins(file, baseline, version) {
  const pkg = JSON.parse(fs.readFileSync(file, 'utf8'));
  const moved = [];
  for (const field of ['dependencies', 'devDependencies']) {
    for (const [name, spec] of Object.entries(pkg[field] ?? {})) {
      if (name.startsWith('@strapi/') && spec === baseline) {
        pkg[field][name] = version;
        moved.push(name);
      }
    }
  }
  fs.writeFileSync(file, `${JSON.stringify(pkg, null, 2)}\n`);
  return moved;
}

function run(command, args, cwd, logFile) {
  const started = Date.now();
  const log = fs.openSync(logFile, 'a');
  fs.writeSync(log, `\n$ ${command} ${args.join(' ')}\n`);
  const result = spawnSync(command, args, {
    cwd,
    stdio: ['ignore', log, log],
    env: { ...process.env, STRAPI_TELEMETRY_DISABLED: 'true', CI: 'true' },
  });
  fs.closeSync(log);
  return { ok: result.status === 0, seconds: Math.round((Date.now() - started) / 1000) };
}

const hash = (file) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

function install(dir, version, options, logFile) {
  const lock = path.join(root, 'compat', version, 'package-lock.json');
  const marker = path.join(dir, 'node_modules', '.compat-lock-sha256');
  const useLock = fs.existsSync(lock) && !options.updateLock;
  // node_modules is reused while both the lockfile and the moved package.json are what it was installed from.
  const stamp = () => hash(lock) + hash(path.join(dir, 'package.json'));
  if (useLock) {
    fs.copyFileSync(lock, path.join(dir, 'package-lock.json'));
    if (!options.reinstall && fs.existsSync(marker) && fs.readFileSync(marker, 'utf8') === stamp())
      return { ok: true, seconds: 0, how: 'cached' };
    const result = run('npm', ['ci', '--no-audit', '--no-fund'], dir, logFile);
    if (result.ok) {
      fs.writeFileSync(marker, stamp());
      return { ...result, how: 'npm ci' };
    }
    // Most often the lockfile predates a change of package.json (a new dependency): resolve again from it.
    console.log(`${version}: npm ci failed (see the log); resolving again with npm install and rewriting its lockfile`);
  }
  // A first resolution starts from the baseline's lockfile, so everything but Strapi stays as the main suites have
  // it; a later one from the version's own.
  if (!useLock) fs.copyFileSync(path.join(root, 'package-lock.json'), path.join(dir, 'package-lock.json'));
  fs.rmSync(path.join(dir, 'node_modules'), { recursive: true, force: true });
  const result = run('npm', ['install', '--no-audit', '--no-fund'], dir, logFile);
  if (result.ok) {
    fs.mkdirSync(path.dirname(lock), { recursive: true });
    fs.copyFileSync(path.join(dir, 'package-lock.json'), lock);
    fs.writeFileSync(marker, stamp());
  }
  return { ...result, how: 'npm install' };
}

function jestCounts(file) {
  try {
    const report = JSON.parse(fs.readFileSync(file, 'utf8'));
    return {
      passed: report.numPassedTests,
      failed: report.numFailedTests,
      suitesFailed: report.numFailedTestSuites,
      total: report.numTotalTests,
    };
  } catch {
    return null;
  }
}

function main() {
  const options = parseArgs(process.argv.slice(2));
  const list = JSON.parse(fs.readFileSync(listFile, 'utf8'));
  const versions = options.versions ?? list.versions;
  if (versions.length === 0) throw new Error('no versions: give --versions or list them in compat/versions.json');
  fs.mkdirSync(reportDir, { recursive: true });
  const lines = [];
  let failed = false;
  for (const version of versions) {
    if (!/^5\.\d+\.\d+$/.test(version)) throw new Error(`not a Strapi 5 version: ${version}`);
    const dir = path.join(workRoot, version);
    const logFile = path.join(reportDir, `compat-${version}.log`);
    fs.writeFileSync(logFile, '');
    console.log(`--- Strapi ${version} (log: ${path.relative(root, logFile)})`);
    copyRepository(dir);
    movePins(path.join(dir, 'package.json'), list.baseline, version);
    movePins(path.join(dir, 'playground', 'package.json'), list.baseline, version);

    const installed = install(dir, version, options, logFile);
    let line = `${version}  install ${installed.ok ? 'ok' : 'FAILED'} (${installed.how}, ${installed.seconds}s)`;
    if (installed.ok && !options.installOnly) {
      const prepared = run('node', ['scripts/prepare.js'], dir, logFile);
      if (!prepared.ok) line += `  prepare FAILED (${prepared.seconds}s)`;
      else {
        const report = path.join(reportDir, `compat-${version}.json`);
        fs.rmSync(report, { force: true });
        const target = options.jestArgs ?? ['--selectProjects', 'integration'];
        const tested = run('npx', ['jest', ...target, '--json', `--outputFile=${report}`], dir, logFile);
        const counts = jestCounts(report);
        line += counts
          ? `  integration ${tested.ok ? 'ok' : 'FAILED'}: ${counts.passed} passed, ${counts.failed} failed` +
            `${counts.suitesFailed ? `, ${counts.suitesFailed} files failed` : ''} (${tested.seconds}s)`
          : `  integration FAILED: no report (${tested.seconds}s)`;
        if (!tested.ok) failed = true;
      }
      if (!prepared.ok) failed = true;
    } else if (!installed.ok) failed = true;
    lines.push(line);
    console.log(line);
  }
  console.log('\n=== compat summary');
  for (const line of lines) console.log(line);
  process.exitCode = failed ? 1 : 0;
}

main();
