#!/usr/bin/env node
// `npm run bench`: this plugin against users-permissions' built-in flow, in one run, on the same playground app
// and data (SQLite, rate limits off, users-permissions' routes given back untouched so both can be measured).
// Writes bench/results.json (measured numbers only) and bench/results.md (a table a person reads).
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const { SMTPServer } = require('smtp-server');

const root = path.resolve(__dirname, '..');
const appDir = path.join(root, 'playground');
const { spawnPlayground } = require(path.join(root, 'scripts', 'spawn-playground'));

const TARGETS = {
  timing_ratio_ours: '≤ 1.05',
  timing_ratio_builtin: 'reported; expected far above 1',
  throughput_ratio_vs_builtin: '≥ 1.0',
  bulk_1k_seconds: 'reported',
  bulk_10k_seconds: '≤ 30',
  bulk_10k_rss_mb: '≤ 150',
  reset_overhead_ms: '≤ 10',
  lookup_scaling_ratio: '≤ 1.5',
  boot_overhead_ms: '≤ 300',
};

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const round = (value, digits = 3) => Number(value.toFixed(digits));
const log = (message) => process.stdout.write(`${message}\n`);

/** An SMTP server that accepts (after `delayMs`) and keeps only what the bench needs: a count and the tokens. */
async function startMailSink() {
  const sink = { delayMs: 0, accepted: 0, tokens: new Map() };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    disableReverseLookup: true,
    logger: false,
    onData(stream, session, callback) {
      let raw = '';
      stream.on('data', (chunk) => (raw += chunk.toString()));
      stream.on('end', () => {
        const token = /#token=([A-Za-z0-9_-]{43})/.exec(raw.replace(/=\r?\n/g, '').replace(/=3D/g, '='));
        const to = session.envelope.rcptTo[0]?.address;
        if (token && to) sink.tokens.set(to, token[1]);
        setTimeout(() => {
          sink.accepted++;
          callback();
        }, sink.delayMs);
      });
    },
  });
  // A client that goes away mid-conversation (a Strapi being stopped) is no failure of the server.
  server.on('error', () => {});
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  sink.port = server.server.address().port;
  sink.close = () => new Promise((resolve) => server.close(resolve));
  return sink;
}

async function time(fn) {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

const post = (url, body, headers = {}) =>
  fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });

/** Accounts inserted straight into the database with one precomputed bcrypt hash: fast enough for 100,000. */
async function insertAccounts(strapi, prefix, count) {
  const hash = await strapi.plugin('users-permissions').service('user').ensureHashedPasswords({ password: 'Bench-Password-2026' });
  const role = await strapi.db.query('plugin::users-permissions.role').findOne({ where: { type: 'authenticated' } });
  const ids = [];
  for (let start = 0; start < count; start += 1000) {
    const rows = Array.from({ length: Math.min(1000, count - start) }, (_, i) => ({
      documentId: randomBytes(12).toString('hex'),
      username: `${prefix}-${start + i}`,
      email: `${prefix}-${start + i}@bench.test`,
      provider: 'local',
      password: hash.password,
      confirmed: true,
      blocked: false,
      role: role.id,
    }));
    await strapi.db.query('plugin::users-permissions.user').createMany({ data: rows });
  }
  const found = await strapi.db.query('plugin::users-permissions.user').findMany({
    select: ['id', 'email'],
    where: { username: { $startsWith: `${prefix}-` } },
    orderBy: { id: 'asc' },
  });
  for (const user of found) ids.push(user);
  return ids;
}

/**
 * Median latency of `route` for existing addresses ÷ for unknown ones, in random order, `rounds` of each. A
 * pause after each request lets the server finish that request's background work (the lookup and the email),
 * so each timing is of one request alone, as an attacker probing one address would see it.
 */
async function timingRatio(base, route, existing, rounds) {
  const known = [];
  const unknown = [];
  const order = [...Array(rounds).fill(true), ...Array(rounds).fill(false)].sort(() => Math.random() - 0.5);
  for (const [i, isKnown] of order.entries()) {
    const email = isKnown ? existing[i % existing.length].email : `nobody-${i}-${Date.now()}@bench.test`;
    (isKnown ? known : unknown).push(await time(() => post(`${base}${route}`, { email }).then((res) => res.text())));
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return { ratio: median(known) / median(unknown), knownMs: median(known), unknownMs: median(unknown) };
}

/** Requests per second of `route` with unknown addresses, `concurrency` clients, for `seconds`. */
async function throughput(base, route, concurrency, seconds) {
  let done = 0;
  const deadline = performance.now() + seconds * 1000;
  const client = async (n) => {
    for (let i = 0; performance.now() < deadline; i++) {
      await post(`${base}${route}`, { email: `load-${n}-${i}@bench.test` }).then((res) => res.text());
      done++;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, (_, n) => client(n)));
  return done / ((performance.now() - started) / 1000);
}

async function bulkSend(base, token, sink, users, pid) {
  const before = sink.accepted;
  let peak = rssOfMb(pid);
  const baseline = peak;
  const sampler = setInterval(() => (peak = Math.max(peak, rssOfMb(pid))), 100);
  const seconds =
    (await time(async () => {
      const res = await post(`${base}/password-reset/codes`, { userIds: users.map((u) => u.id) }, { Authorization: `Bearer ${token}` });
      const body = await res.json();
      if (body.summary?.sent !== users.length) throw new Error(`bulk send: ${JSON.stringify(body.summary ?? body)}`);
      while (sink.accepted - before < users.length) await new Promise((resolve) => setTimeout(resolve, 20));
    })) / 1000;
  clearInterval(sampler);
  return { seconds, rssGrowthMb: peak - baseline };
}

async function bootTimes(sink, dbFile, enabled, runs) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const instance = await spawnPlayground({
      DB: 'sqlite',
      DATABASE_FILENAME: dbFile,
      PORT: '0',
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(sink.port),
      PASSWORD_RESET_ENABLED: String(enabled),
    });
    times.push(performance.now() - started);
    await instance.stop();
  }
  return times;
}

const bcrypt = require('bcryptjs');

/** Resident memory of another process, from /proc (Linux). */
const rssOfMb = (pid) => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;

/** Seeds the database through an in-process Strapi (stopped before the measurements, which use a separate process). */
async function seed(work) {
  const { createStrapi } = require('@strapi/strapi');
  const strapi = await createStrapi({ appDir, distDir: appDir, autoReload: false, serveAdminPanel: false }).load();
  try {
    return await work(strapi);
  } finally {
    await strapi.destroy();
  }
}

async function main() {
  execFileSync(process.execPath, [path.join(root, 'scripts', 'prepare.js')], { stdio: 'inherit' });
  const sink = await startMailSink();
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'password-reset-bench-'));
  const env = {
    DB: 'sqlite',
    DATABASE_FILENAME: path.join(workDir, 'bench.db'),
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(sink.port),
    HOST: '127.0.0.1',
    PUBLIC_URL: 'http://127.0.0.1',
    ADMIN_RATE_LIMIT: 'false',
    UP_RATE_LIMIT: 'false',
    STRAPI_LOG_LEVEL: 'error',
    STRAPI_TELEMETRY_DISABLED: 'true',
    // A pooled SMTP transport with as many connections as the plugin sends emails at once, as a site sending in bulk would.
    SMTP_POOL: 'true',
    SMTP_MAX_CONNECTIONS: '32',
    PASSWORD_RESET_CONFIG: JSON.stringify({
      rateLimit: { enabled: false },
      takeOverUsersPermissionsRoutes: false,
      email: { concurrency: 32 },
    }),
  };
  // Links in the emails are not followed by the bench, so PUBLIC_URL need not name the real port.
  Object.assign(process.env, env);
  // Strapi runs in its own process, so that the clients' timings are not the server's event loop.
  const serve = () => spawnPlayground({ ...env, PORT: '0' });
  const results = {};
  const details = {};

  log('accounts: 1,000 (and 10,000 for the bulk sends)');
  const [first, bulkAccounts] = await seed(async (strapi) => [
    await insertAccounts(strapi, 'first', 1000),
    await insertAccounts(strapi, 'bulk', 10000),
  ]);
  let server = await serve();
  const base = server.url;

  log('timing: the request route with a mail server taking 200 ms per message');
  sink.delayMs = 200;
  const ours = await timingRatio(base, '/api/password-reset/forgot-password', first, 200);
  const builtin = await timingRatio(base, '/api/auth/forgot-password', first, 40);
  await new Promise((resolve) => setTimeout(resolve, 2000));
  results.timing_ratio_ours = round(ours.ratio);
  results.timing_ratio_builtin = round(builtin.ratio);
  details.timing = { ours, builtin };

  log('throughput: unknown addresses, 10 clients, 8 s each');
  sink.delayMs = 0;
  const oursRps = await throughput(base, '/api/password-reset/forgot-password', 10, 8);
  const builtinRps = await throughput(base, '/api/auth/forgot-password', 10, 8);
  results.throughput_ratio_vs_builtin = round(oursRps / builtinRps);
  details.throughput = { oursRps: round(oursRps, 1), builtinRps: round(builtinRps, 1) };

  log('bulk: activation codes for 1,000 and 10,000 accounts');
  const adminRes = await post(`${base}/admin/register-admin`, {
    firstname: 'Bench',
    lastname: 'Admin',
    email: 'bench@admin.test',
    password: 'Bench-Admin-2026',
  });
  const adminToken = (await adminRes.json()).data.token;
  const bulk1k = await bulkSend(base, adminToken, sink, bulkAccounts.slice(0, 1000), server.pid);
  const bulk10k = await bulkSend(base, adminToken, sink, bulkAccounts, server.pid);
  results.bulk_1k_seconds = round(bulk1k.seconds, 2);
  results.bulk_10k_seconds = round(bulk10k.seconds, 2);
  results.bulk_10k_rss_mb = round(bulk10k.rssGrowthMb, 1);

  log('reset: a successful reset against one bcrypt hash at the same cost');
  const resets = [];
  for (const user of bulkAccounts.slice(0, 60)) {
    const token = sink.tokens.get(user.email);
    const password = `Bench-${randomBytes(6).toString('hex')}-Reset`;
    resets.push(
      await time(() =>
        post(`${base}/api/password-reset/reset`, { token, password, passwordConfirmation: password }).then((res) => res.text()),
      ),
    );
  }
  const hashes = [];
  for (let i = 0; i < 60; i++) hashes.push(await time(() => bcrypt.hash(`Bench-${i}-Password`, 10)));
  results.reset_overhead_ms = round(median(resets) - median(hashes), 2);
  details.reset = { resetMs: round(median(resets), 2), bcryptMs: round(median(hashes), 2) };

  log('lookup scaling: the request route with 1,000 accounts, then with 100,000');
  const small = await timingRatio(base, '/api/password-reset/forgot-password', first, 100);
  await server.stop();
  await seed((strapi) => insertAccounts(strapi, 'many', 100000 - 11000));
  server = await serve();
  const large = await timingRatio(server.url, '/api/password-reset/forgot-password', first, 100);
  await new Promise((resolve) => setTimeout(resolve, 2000));
  await server.stop();
  results.lookup_scaling_ratio = round(large.knownMs / small.knownMs);
  details.lookup = { knownMs1k: small.knownMs, knownMs100k: large.knownMs };

  log('boot: the playground with and without the plugin, 5 times each');
  const bootDb = path.join(workDir, 'boot.db');
  await bootTimes(sink, bootDb, true, 1); // creates the tables once, outside the measurement
  const withPlugin = await bootTimes(sink, bootDb, true, 5);
  const withoutPlugin = await bootTimes(sink, bootDb, false, 5);
  results.boot_overhead_ms = round(median(withPlugin) - median(withoutPlugin), 0);
  details.boot = { withMs: round(median(withPlugin), 0), withoutMs: round(median(withoutPlugin), 0) };

  await sink.close();
  fs.rmSync(workDir, { recursive: true, force: true });

  const machine = {
    date: new Date().toISOString(),
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memoryGb: round(os.totalmem() / 1024 ** 3, 1),
    node: process.version,
    strapi: require('@strapi/strapi/package.json').version,
    plugin: require(path.join(root, 'package.json')).version,
  };
  fs.writeFileSync(path.join(__dirname, 'results.json'), `${JSON.stringify({ ...results, machine, details }, null, 2)}\n`);
  const rows = Object.entries(results).map(([key, value]) => `| \`${key}\` | ${value} | ${TARGETS[key]} |`);
  fs.writeFileSync(
    path.join(__dirname, 'results.md'),
    [
      '# Benchmark results',
      '',
      `Measured by \`npm run bench\` on ${machine.date}: ${machine.cores} × ${machine.cpu}, ${machine.memoryGb} GiB, Node ${machine.node}, Strapi ${machine.strapi}, plugin ${machine.plugin}. SQLite, rate limits off, users-permissions' own routes untouched for their part.`,
      '',
      '| key | measured | target |',
      '|---|---|---|',
      ...rows,
      '',
      '## Underlying numbers',
      '',
      '```json',
      JSON.stringify(details, null, 2),
      '```',
      '',
    ].join('\n'),
  );
  log(`\n${rows.join('\n')}\nwritten to bench/results.json and bench/results.md`);
  process.exit(0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
