#!/usr/bin/env node
// The outbox and bulk jobs under load (ARCHITECTURE.md, "Delivery"), in a child-process Strapi with a pooled SMTP
// transport to a local sink that accepts at once:
// - bulk: a job of N accounts, from the request to the last email the sink accepted, with the server's memory
//   sampled every 250 ms (`bulk_100k_seconds`, `bulk_100k_rss_mb`);
// - flood: 20,000 forgotten-password requests for distinct addresses (half with an eligible account) from 2,000
//   client IPs, rate limits at their defaults, against the same route at rest (`flood_rss_mb`, latency ratio,
//   every eligible address mailed), and the same flood on users-permissions' own route (`flood_rss_mb_builtin`);
// - latency: a visitor's request to the email accepted (`outbox_latency_ms`, median), on the flood's server before
//   the flood, one request at a time from its own IP.
// For the job and the floods, also the heap still in use after a full garbage collection, after minus before
// (`*_heap_kept_mb`): what the work left in memory, where resident memory also counts garbage not yet collected;
// and the highest heap in use after any major collection during the work, minus that baseline
// (`*_live_heap_mb`): what the work held at once, however much garbage V8 let pile up before collecting it.
// The memory baselines are read just after that first collection, a state that does not depend on how much heap
// V8 allowed itself while Strapi booted.
// Run by run.js; alone: `node bench/delivery.js [--accounts 100000] [--postgres]`.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const {
  round,
  log,
  sleep,
  post,
  insertAccounts,
  withStrapi,
  rssOfMb,
  spawnMeasured,
  cpuSecondsOf,
  serverEnv,
  registerAdmin,
} = require('./lib');
const stats = require('./stats');

/** A job of `count` accounts: seconds from the request to the last email accepted, and memory over time. */
async function bulkJob(sink, database, count) {
  const env = serverEnv(sink, database);
  log(`bulk: seeding ${count.toLocaleString('en')} accounts (${database.DB})`);
  const users = await withStrapi(env, (strapi) => insertAccounts(strapi, 'job', count, { confirmed: false }));
  const server = await spawnMeasured({ ...env, PORT: '0' });
  try {
    const token = await registerAdmin(server.url);
    const heapBefore = await server.heap();
    await sleep(1000);
    const baseline = rssOfMb(server.pid);
    const cpuBefore = cpuSecondsOf(server.pid);
    const before = sink.accepted;
    const started = performance.now();
    const trace = [];
    const sample = () => trace.push({ s: (performance.now() - started) / 1000, rssMb: rssOfMb(server.pid), sent: sink.accepted - before });
    sample();
    const sampler = setInterval(sample, 250);
    log(`bulk: sending ${count.toLocaleString('en')} activation codes as a job`);
    const res = await post(
      `${server.url}/password-reset/codes`,
      { userIds: users.map((user) => user.id) },
      { Authorization: `Bearer ${token}` },
    );
    if (res.status !== 202) throw new Error(`bulk job: ${res.status} ${await res.text()}`);
    const acceptedIn = (performance.now() - started) / 1000;
    while (sink.accepted - before < count) await sleep(50);
    const seconds = (performance.now() - started) / 1000;
    const cpuSeconds = cpuSecondsOf(server.pid) - cpuBefore;
    clearInterval(sampler);
    sample();
    // Once the last rows are marked sent (within 20 ms of the last acceptance), what the job left in memory.
    await sleep(1000);
    const heapAfter = await server.heap();
    return {
      seconds,
      acceptedIn,
      cpuSeconds,
      rssGrowthMb: Math.max(...trace.map((t) => t.rssMb)) - baseline,
      keptHeapMb: heapAfter.keptMb - heapBefore.keptMb,
      liveHeapMb: heapAfter.peakLiveMb - heapBefore.keptMb,
      trace,
    };
  } finally {
    await server.stop();
  }
}

/** Send `total` requests through `concurrency` clients; returns each request's latency in ms. */
async function hammer(url, total, concurrency, requestFor) {
  const latencies = new Array(total);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const i = next++;
        const { body, ip } = requestFor(i);
        const started = performance.now();
        const res = await post(url, body, { 'X-Forwarded-For': ip });
        await res.arrayBuffer();
        latencies[i] = performance.now() - started;
        if (res.status !== 200) throw new Error(`flood: request ${i} answered ${res.status}`);
      }
    }),
  );
  return latencies;
}

/**
 * 20,000 requests for distinct addresses from 2,000 IPs, rate limits on at their defaults. `builtin`: the same
 * flood on users-permissions' own route (the plugin leaving it untouched), whose rate limit is off: it allows 5
 * requests per IP, and the flood sends 10.
 */
async function flood(sink, database, { requests = 20000, ips = 2000 } = {}, { builtin = false, latency = 0 } = {}) {
  const env = serverEnv(sink, database, builtin ? { takeOverUsersPermissionsRoutes: false } : { rateLimit: { enabled: true } });
  const eligibleCount = requests / 2;
  log(`flood${builtin ? " (users-permissions' route)" : ''}: seeding ${eligibleCount.toLocaleString('en')} accounts`);
  const [users, latencyUsers] = await withStrapi(env, async (strapi) => [
    await insertAccounts(strapi, 'flood', eligibleCount),
    await insertAccounts(strapi, 'latency', latency),
  ]);
  const server = await spawnMeasured({ ...env, PORT: '0', PROXY: 'true' });
  try {
    // The outbox's latency, on this server before the flood: one boot fewer than a server of its own.
    const latencySummary = latency > 0 ? await outboxLatency(server.url, sink, latencyUsers) : null;
    const url = `${server.url}${builtin ? '/api/auth/forgot-password' : '/api/password-reset/forgot-password'}`;
    const address = (i) => (i % 2 === 0 ? users[i / 2].email : `nobody-${i}@bench.test`);
    const ip = (i) => `10.${Math.floor((i % ips) / 250)}.${(i % ips) % 250}.1`;
    // At rest: a few hundred requests from other IPs, spaced out.
    const calm = [];
    for (let i = 0; i < 300; i++) {
      const started = performance.now();
      const res = await post(url, { email: `calm-${i}@bench.test` }, { 'X-Forwarded-For': `192.168.${Math.floor(i / 200)}.${i % 200}` });
      await res.arrayBuffer();
      calm.push(performance.now() - started);
    }
    const heapBefore = await server.heap();
    await sleep(500);
    const baseline = rssOfMb(server.pid);
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, rssOfMb(server.pid))), 100);
    const before = sink.accepted;
    log(`flood: ${requests.toLocaleString('en')} requests from ${ips.toLocaleString('en')} IPs, 20 clients`);
    const started = performance.now();
    const latencies = await hammer(url, requests, 20, (i) => ({ body: { email: address(i) }, ip: ip(i) }));
    const requestSeconds = (performance.now() - started) / 1000;
    // Every eligible address must be mailed (the unknown ones are not).
    const deadline = Date.now() + 600000;
    while (sink.accepted - before < eligibleCount && Date.now() < deadline) await sleep(100);
    clearInterval(sampler);
    const mailed = users.filter((user) => sink.acceptedAt.has(user.email)).length;
    await sleep(1000);
    const heapAfter = await server.heap();
    return {
      rssGrowthMb: peak - baseline,
      keptHeapMb: heapAfter.keptMb - heapBefore.keptMb,
      liveHeapMb: heapAfter.peakLiveMb - heapBefore.keptMb,
      requestSeconds,
      drainSeconds: (performance.now() - started) / 1000,
      mailed,
      eligible: eligibleCount,
      latency: stats.summary(latencies),
      calm: stats.summary(calm),
      outboxLatency: latencySummary,
    };
  } finally {
    await server.stop();
  }
}

/** A visitor's request to its email accepted, one at a time (each from its own IP), with a sink that accepts at once. */
async function outboxLatency(url, sink, users) {
  log(`latency: ${users.length} visitors' requests, one at a time, to their email accepted`);
  const delays = [];
  for (const [i, user] of users.entries()) {
    const started = performance.now();
    const res = await post(
      `${url}/api/password-reset/forgot-password`,
      { email: user.email },
      { 'X-Forwarded-For': `172.16.${i >> 8}.${i & 255}` },
    );
    await res.arrayBuffer();
    while (!sink.acceptedAt.has(user.email)) await sleep(1);
    delays.push(sink.acceptedAt.get(user.email) - started);
  }
  return stats.summary(delays);
}

/** A fresh SQLite file or PostgreSQL schema, as DB and DATABASE_* variables, and how to drop it. */
async function freshDatabase(kind, workDir, name) {
  if (kind === 'sqlite') return { env: { DB: 'sqlite', DATABASE_FILENAME: path.join(workDir, `${name}.db`) }, drop: async () => {} };
  const { Client } = require('pg');
  const schema = `bench_${name}_${Date.now().toString(36)}`;
  const client = new Client({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test' });
  await client.connect();
  await client.query(`CREATE SCHEMA "${schema}"`);
  await client.end();
  return {
    env: { DB: 'postgres', DATABASE_SCHEMA: schema, DATABASE_NAME: 'test' },
    drop: async () => {
      const c = new Client({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test' });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await c.end();
    },
  };
}

/** All delivery measurements; `plan` gives the sizes. */
async function measureDelivery(sink, workDir, plan) {
  const withDatabase = async (kind, name, work) => {
    const database = await freshDatabase(kind, workDir, name);
    try {
      return await work(database.env);
    } finally {
      await database.drop();
    }
  };
  sink.delayMs = 0;
  const bulk = await withDatabase('sqlite', 'bulk', (database) => bulkJob(sink, database, plan.bulkJob));
  const bulkPostgres = plan.postgres ? await withDatabase('postgres', 'bulk', (database) => bulkJob(sink, database, plan.bulkJob)) : null;
  const floodResult = await withDatabase('sqlite', 'flood', (database) => flood(sink, database, plan.flood, { latency: plan.latency }));
  const floodBuiltin = await withDatabase('sqlite', 'flood-builtin', (database) => flood(sink, database, plan.flood, { builtin: true }));
  return { bulk, bulkPostgres, flood: floodResult, floodBuiltin, latency: floodResult.outboxLatency };
}

module.exports = { measureDelivery };

if (require.main === module) {
  (async () => {
    const { startMailSink } = require('./lib');
    const accounts = Number(process.argv[process.argv.indexOf('--accounts') + 1]) || 20000;
    const sink = await startMailSink();
    const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'password-reset-delivery-'));
    try {
      const result = await measureDelivery(sink, workDir, {
        bulkJob: accounts,
        postgres: process.argv.includes('--postgres'),
        flood: { requests: Number(process.env.FLOOD_REQUESTS) || 20000, ips: 2000 },
        latency: 100,
      });
      const brief = {
        bulk_seconds: round(result.bulk.seconds, 2),
        bulk_202_in_s: round(result.bulk.acceptedIn, 3),
        bulk_cpu_s: round(result.bulk.cpuSeconds, 1),
        bulk_rss_mb: round(result.bulk.rssGrowthMb, 1),
        bulk_heap_kept_mb: round(result.bulk.keptHeapMb, 1),
        bulk_live_heap_mb: round(result.bulk.liveHeapMb, 1),
        bulk_postgres_seconds: result.bulkPostgres && round(result.bulkPostgres.seconds, 2),
        flood_rss_mb: round(result.flood.rssGrowthMb, 1),
        flood_heap_kept_mb: round(result.flood.keptHeapMb, 1),
        flood_live_heap_mb: round(result.flood.liveHeapMb, 1),
        flood_rss_mb_builtin: round(result.floodBuiltin.rssGrowthMb, 1),
        flood_heap_kept_mb_builtin: round(result.floodBuiltin.keptHeapMb, 1),
        flood_live_heap_mb_builtin: round(result.floodBuiltin.liveHeapMb, 1),
        flood_mailed_builtin: `${result.floodBuiltin.mailed}/${result.floodBuiltin.eligible}`,
        flood_latency_ratio: round(result.flood.latency.median / result.flood.calm.median),
        flood_mailed: `${result.flood.mailed}/${result.flood.eligible}`,
        flood_request_s: round(result.flood.requestSeconds, 1),
        outbox_latency_ms: round(result.latency.median, 1),
      };
      log(JSON.stringify(brief, null, 2));
    } finally {
      await sink.close();
      fs.rmSync(workDir, { recursive: true, force: true });
    }
    process.exit(0);
  })();
}
