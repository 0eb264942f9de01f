// What the benchmarks share: the mail sink, fast account seeding, an in-process Strapi for seeding, and small
// measuring helpers. Used by run.js and delivery.js.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { randomBytes } = require('node:crypto');
const { SMTPServer } = require('smtp-server');

const root = path.resolve(__dirname, '..');
const appDir = path.join(root, 'playground');
const round = (value, digits = 3) => (value === null || value === undefined || Number.isNaN(value) ? null : Number(value.toFixed(digits)));
/** A progress line, with the minutes and seconds since the bench started, so that a slow stage shows in the log. */
const log = (message) => {
  const seconds = Math.round(process.uptime());
  process.stdout.write(`[${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}] ${message}\n`);
};
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** An SMTP server that accepts (after `delayMs`) and keeps only what the bench needs: a count and the tokens. */
async function startMailSink() {
  // `acceptedAt`: when the last email to each address was accepted (performance.now()).
  const sink = { delayMs: 0, accepted: 0, tokens: new Map(), acceptedAt: new Map() };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    disableReverseLookup: true,
    logger: false,
    // On close, connections still open (a stopped Strapi's pool) are dropped after 1 s, not smtp-server's 30.
    closeTimeout: 1000,
    onData(stream, session, callback) {
      let raw = '';
      stream.on('data', (chunk) => (raw += chunk.toString()));
      stream.on('end', () => {
        const token = /#token=([A-Za-z0-9_-]{43})/.exec(raw.replace(/=\r?\n/g, '').replace(/=3D/g, '='));
        const to = session.envelope.rcptTo[0]?.address;
        if (token && to) sink.tokens.set(to, token[1]);
        setTimeout(() => {
          sink.accepted++;
          if (to) sink.acceptedAt.set(to, performance.now());
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
async function insertAccounts(strapi, prefix, count, { confirmed = true } = {}) {
  const hash = await strapi.plugin('users-permissions').service('user').ensureHashedPasswords({ password: 'Bench-Password-2026' });
  const role = await strapi.db.query('plugin::users-permissions.role').findOne({ where: { type: 'authenticated' } });
  for (let start = 0; start < count; start += 1000) {
    const rows = Array.from({ length: Math.min(1000, count - start) }, (_, i) => ({
      documentId: randomBytes(12).toString('hex'),
      username: `${prefix}-${start + i}`,
      email: `${prefix}-${start + i}@bench.test`,
      provider: 'local',
      password: hash.password,
      confirmed,
      blocked: false,
      role: role.id,
    }));
    await strapi.db.query('plugin::users-permissions.user').createMany({ data: rows });
  }
  const users = await strapi.db.query('plugin::users-permissions.user').findMany({
    select: ['id', 'email'],
    where: { username: { $startsWith: `${prefix}-` } },
    orderBy: { id: 'asc' },
  });
  // createMany writes no relations: the role goes into the join table, as users-permissions would have written it.
  const { joinTable } = strapi.db.metadata.get('plugin::users-permissions.user').attributes.role;
  for (let start = 0; start < users.length; start += 500) {
    await strapi.db
      .getConnection(joinTable.name)
      .insert(
        users
          .slice(start, start + 500)
          .map((user) => ({ [joinTable.joinColumn.name]: user.id, [joinTable.inverseJoinColumn.name]: role.id })),
      );
  }
  return users;
}

/** Seeds the database through an in-process Strapi (stopped before the measurements, which use separate processes). */
async function withStrapi(env, work) {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  const { createStrapi } = require('@strapi/strapi');
  const strapi = await createStrapi({ appDir, distDir: appDir, autoReload: false, serveAdminPanel: false }).load();
  try {
    return await work(strapi);
  } finally {
    await strapi.destroy();
    for (const key of Object.keys(env)) if (saved[key] === undefined) delete process.env[key];
    Object.assign(process.env, saved);
  }
}

/** CPU seconds (user and system) another process has used so far, from /proc (Linux; clock ticks of 1/100 s). */
const cpuSecondsOf = (pid) => {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
};

/** Wait (at most `maxMs`) until another process has been idle for half a second: its background work is done. */
async function waitForIdle(pid, maxMs = 20000) {
  const deadline = performance.now() + maxMs;
  while (performance.now() < deadline) {
    const before = cpuSecondsOf(pid);
    await sleep(500);
    if (cpuSecondsOf(pid) - before <= 0.02) return;
  }
}

/** Resident memory of another process, from /proc (Linux). */
const rssOfMb = (pid) => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;

/**
 * A playground Strapi whose heap can be read (`heap`): started with `--expose-gc` and heap-probe.js, which answers
 * SIGUSR2.
 */
async function spawnMeasured(env) {
  const { spawnPlayground } = require(path.join(root, 'scripts', 'spawn-playground'));
  const heapFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-heap-')), 'heap');
  const server = await spawnPlayground({ ...env, BENCH_HEAP_FILE: heapFile }, undefined, [
    '--expose-gc',
    '--require',
    path.join(__dirname, 'heap-probe.js'),
  ]);
  /**
   * In MB: the heap still in use after a full garbage collection (`keptMb`), and the highest heap in use after a
   * major collection since the previous call (`peakLiveMb`: what the work held at once, its garbage left out).
   */
  server.heap = async () => {
    fs.rmSync(heapFile, { force: true });
    process.kill(server.pid, 'SIGUSR2');
    for (let waited = 0; !fs.existsSync(heapFile) || fs.readFileSync(heapFile, 'utf8') === ''; waited += 20) {
      if (waited > 10000) throw new Error('the server did not report its heap');
      await sleep(20);
    }
    const { kept, peakLive } = JSON.parse(fs.readFileSync(heapFile, 'utf8'));
    return { keptMb: kept / 1024 / 1024, peakLiveMb: peakLive / 1024 / 1024 };
  };
  return server;
}

/**
 * Emails in flight at once, and pooled connections: the plugin's default `email.concurrency`. More is not faster
 * once the server is CPU-bound, and every message in flight is memory (README, "Sending in bulk").
 */
const SENDING_AT_ONCE = 8;

/**
 * The environment of a playground Strapi on `database` (DB and DATABASE_* variables), mailing `sink` through a
 * pooled SMTP transport with as many connections as the plugin sends emails at once and Nagle's algorithm off, as
 * README's "Sending in bulk" advises; rate limits off unless `config` turns them on.
 */
const serverEnv = (sink, database, config = {}) => ({
  ...database,
  SMTP_HOST: '127.0.0.1',
  SMTP_PORT: String(sink.port),
  HOST: '127.0.0.1',
  PUBLIC_URL: 'http://127.0.0.1',
  ADMIN_RATE_LIMIT: 'false',
  UP_RATE_LIMIT: 'false',
  STRAPI_LOG_LEVEL: 'error',
  STRAPI_TELEMETRY_DISABLED: 'true',
  BENCH_BCRYPT_ROUTE: 'true',
  SMTP_POOL: 'true',
  SMTP_MAX_CONNECTIONS: String(SENDING_AT_ONCE),
  SMTP_NO_DELAY: 'true',
  PASSWORD_RESET_CONFIG: JSON.stringify({ rateLimit: { enabled: false }, email: { concurrency: SENDING_AT_ONCE }, ...config }),
});

async function registerAdmin(url) {
  const res = await post(`${url}/admin/register-admin`, {
    firstname: 'Bench',
    lastname: 'Admin',
    email: 'bench@admin.test',
    password: 'Bench-Admin-2026',
  });
  return (await res.json()).data.token;
}

module.exports = {
  root,
  appDir,
  round,
  log,
  sleep,
  startMailSink,
  time,
  post,
  insertAccounts,
  withStrapi,
  waitForIdle,
  rssOfMb,
  spawnMeasured,
  cpuSecondsOf,
  serverEnv,
  registerAdmin,
};
