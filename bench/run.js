#!/usr/bin/env node
// `npm run bench` (add `-- --quick` for a reduced run of under two minutes): this plugin against users-permissions'
// built-in flow, on the same playground app and data (SQLite, and PostgreSQL for the timing test; rate limits off;
// users-permissions' routes given back untouched so both can be measured). Strapi runs in child processes, so the
// clients' timings are not the server's event loop. The whole measurement runs three times (once with --quick)
// and each key is the median of the runs, with its sample count and spread. Writes bench/results.json,
// bench/results.md and the SVG charts in bench/charts/ (with --quick: bench/quick/, not committed).
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const bcrypt = require('bcryptjs');
const stats = require('./stats');
const svg = require('./svg');
const { measureDelivery } = require('./delivery');
const { pathologicalParts } = require('./template-inputs');
const {
  root,
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
  serverEnv,
  registerAdmin,
} = require('./lib');

const { spawnPlayground } = require(path.join(root, 'scripts', 'spawn-playground'));

const QUICK = process.argv.includes('--quick');
const NO_POSTGRES = process.argv.includes('--no-postgres');
/** How much of everything: the full run (under 20 minutes) and the quick one (under 2). */
const PLAN = QUICK
  ? {
      runs: 1,
      timing: 50,
      builtin: 10,
      loaded: 50,
      throughputS: 2,
      authRounds: 2,
      authS: 1,
      bulk: 1500,
      resets: 20,
      lookup: 30,
      lookupLarge: 5000,
      boots: 1,
      postgres: false,
      delivery: { bulkJob: 3000, postgres: false, flood: { requests: 1000, ips: 100 }, latency: 20 },
    }
  : {
      runs: 3,
      // Per run; the timing intervals pool the three runs (7,200 and 3,000 samples per class), PostgreSQL's its one
      // run. Without load, samples spread widely (a probe may meet the outbox's work for an earlier one): 3,600 per
      // class gave intervals 2.2 to 3.5% wide, so ±2 held in some runs and not others; twice as many make them about
      // 2% wide. Under load they are steadier (under 1% wide with 4,500). users-permissions' route is measured to be
      // reported (far outside ±2), with as few samples as that needs: each waits for the 200 ms mail server.
      timing: 2400,
      postgresTiming: { timing: 7200, loaded: 1000 },
      builtin: 20,
      loaded: 1000,
      throughputS: 5,
      authRounds: 6,
      authS: 2,
      bulk: 10000,
      resets: 100,
      lookup: 100,
      lookupLarge: 100000,
      boots: 4,
      postgres: !NO_POSTGRES,
      delivery: { bulkJob: 100000, postgres: !NO_POSTGRES, flood: { requests: 20000, ips: 2000 }, latency: 100 },
    };
const OUT = QUICK ? path.join(__dirname, 'quick') : __dirname;
const CHARTS = QUICK ? OUT : path.join(__dirname, 'charts');

const TARGETS = {
  timing_diff_ci_pct: '[low, high] within ±2',
  timing_diff_ci_pct_loaded: '[low, high] within ±2',
  timing_diff_ci_pct_builtin: 'reported; expected far outside ±2',
  timing_ratio_ours: '≤ 1.05',
  timing_ratio_builtin: 'reported; expected far above 1',
  throughput_ratio_vs_builtin: '≥ 1.0',
  auth_overhead_ratio: '≤ 1.03',
  bulk_1k_seconds: 'reported',
  bulk_10k_seconds: '≤ 30',
  bulk_10k_rss_mb: '≤ 150',
  bulk_100k_seconds: '≤ 120',
  bulk_100k_rss_mb: '≤ 150',
  bulk_100k_cpu_s: 'reported (the server process: CPU-bound when ≈ bulk_100k_seconds)',
  flood_rss_mb: '≤ 100',
  flood_rss_mb_builtin: "reported: the same flood on users-permissions' own route (its rate limit off)",
  bulk_100k_heap_kept_mb: 'reported: ≈ 0 (nothing kept once the job is done)',
  bulk_100k_live_heap_mb:
    'reported: heap in use after a major collection, over the baseline: the highest seen during the job, or at its end when V8 ran none during it (then a lower bound of what the job held at once)',
  flood_heap_kept_mb: 'reported: ≈ 0 (nothing kept once the flood is sent)',
  flood_live_heap_mb: 'reported: the most the flood held at once',
  flood_live_heap_mb_builtin: "reported: the same on users-permissions' own route",
  flood_latency_ratio: 'reported; ≈ 1 (as answered at rest)',
  flood_mailed_pct: '100',
  outbox_latency_ms: '≤ 250',
  reset_overhead_ms: '≤ 5',
  lookup_scaling_ratio: '≤ 1.5',
  boot_overhead_ms: '≤ 300',
  template_check_ms_100k: '≤ 50 (the slowest of bench/template-inputs.js as a 100 KB html part, in-process)',
};

/**
 * The slowest check of a pathological 100 KB html part (bench/template-inputs.js), in ms: the templates service as
 * a save calls it, each input once after a warm-up on a copy one character shorter (verdicts are kept by content).
 */
function templateCheckWorst(strapi) {
  const templates = strapi.plugin('password-reset').service('templates');
  let worst = 0;
  for (const [, html] of pathologicalParts(100_000)) {
    const check = (part) => templates.problems('reset', { subject: 'Reset', text: '{{link}}', html: part });
    check(html.slice(0, -1));
    const started = performance.now();
    check(html);
    worst = Math.max(worst, performance.now() - started);
  }
  return round(worst, 1);
}

/** The authenticated role may list users (so that a content-API read with a JWT has something to read). */
async function grantUserFind(strapi) {
  const role = await strapi.db.query('plugin::users-permissions.role').findOne({ where: { type: 'authenticated' } });
  const action = 'plugin::users-permissions.user.find';
  const permissions = strapi.db.query('plugin::users-permissions.permission');
  if (!(await permissions.findOne({ where: { action, role: role.id } }))) await permissions.create({ data: { action, role: role.id } });
}

/**
 * The pause after each probe of the timing test without load: the server is idle between probes, as an attacker
 * probing one address at a time would find it. A probe may still meet the outbox handling an earlier probe's row
 * (after the reply, at its own pace): that noise falls on every class alike, and is part of what is measured.
 * 10 ms gave no steadier samples than 5 (the spread between the quartiles was half the median either way), and
 * took half as many in the same time.
 */
const PROBE_PAUSE_MS = 5;

/** Percent of `reference`: [low, high] of a bootstrap interval. */
const ciPct = (ci, reference) => [round((100 * ci.low) / reference, 2), round((100 * ci.high) / reference, 2)];

/**
 * The difference of each class from the unknown addresses: median difference with its 95% CI, and the rank-sum
 * test. With `strata` (the blocks of each run), the samples were measured in blocks and are resampled so.
 */
function compare(samples, { reference = 'unknown', strata } = {}) {
  const base = samples[reference];
  if (!base?.length) return {};
  const baseMedian = stats.median(base);
  const out = {};
  for (const [name, values] of Object.entries(samples)) {
    if (name === reference || values.length === 0) continue;
    const options = { iterations: 2000, seed: values.length };
    const ci = strata
      ? stats.bootstrapBlockedMedianDifference(values, base, { ...options, strata })
      : stats.bootstrapMedianDifference(values, base, options);
    const test = stats.mannWhitney(values, base);
    out[name] = {
      medianDiffMs: round(ci.difference, 4),
      ci95Ms: [round(ci.low, 4), round(ci.high, 4)],
      ci95Pct: ciPct(ci, baseMedian),
      mannWhitney: { u: test.u, z: round(test.z, 3), p: round(test.p, 4), effect: round(test.effect, 3) },
    };
  }
  return out;
}

/** The widest [low, high] over the classes compared: the claim holds only if every class's interval is inside. */
const envelope = (comparisons) => {
  const all = Object.values(comparisons);
  return [Math.min(...all.map((c) => c.ci95Pct[0])), Math.max(...all.map((c) => c.ci95Pct[1]))];
};

/**
 * The request route for each class of address, interleaved in random order, `perClass` samples each: in blocks
 * of one probe of each class, in random order within the block, so that a slower moment of the machine falls on
 * every class alike, and the intervals resample whole blocks. Without
 * load, a pause after each request (PROBE_PAUSE_MS) lets the server finish that request's background work, as an
 * attacker probing one address at a time would see it. With `load`, a second client keeps sending requests (unknown addresses) the
 * whole time, and the probes follow each other without a pause, so background work done for one probe lands on
 * the next requests of both clients; the second client's requests are also sorted by the class of the probe
 * that preceded them.
 */
async function timingTest(base, route, addresses, perClass, { load = false } = {}) {
  const classes = Object.keys(addresses);
  const order = Array.from({ length: perClass }, () => stats.shuffle([...classes])).flat();
  const samples = Object.fromEntries(classes.map((name) => [name, []]));
  const followers = Object.fromEntries(classes.map((name) => [name, []]));
  let lastClass = null;
  let running = load;
  const background = (async () => {
    for (let i = 0; running; i++) {
      const after = lastClass;
      const ms = await time(() => post(`${base}${route}`, { email: `other-${i}-${Date.now()}@bench.test` }).then((res) => res.text()));
      if (after) followers[after].push(ms);
    }
  })();
  const counters = Object.fromEntries(classes.map((name) => [name, 0]));
  for (const name of order) {
    const list = addresses[name];
    const email = list ? list[counters[name]++ % list.length].email : `nobody-${counters[name]++}-${Date.now()}@bench.test`;
    samples[name].push(await time(() => post(`${base}${route}`, { email }).then((res) => res.text())));
    lastClass = name;
    if (!load) await sleep(PROBE_PAUSE_MS);
  }
  running = false;
  await background;
  const result = { samples, summary: {}, vsUnknown: compare(samples, { strata: [perClass] }) };
  for (const [name, values] of Object.entries(samples)) result.summary[name] = roundSummary(stats.summary(values));
  if (load) result.followersVsUnknown = compare(followers);
  return result;
}

const roundSummary = (s) => Object.fromEntries(Object.entries(s).map(([k, v]) => [k, k === 'n' ? v : round(v, 3)]));

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

/** Closed-loop GET load with a JWT: requests per second and every latency. */
async function getLoad(url, jwt, concurrency, seconds) {
  const latencies = [];
  const deadline = performance.now() + seconds * 1000;
  const client = async () => {
    while (performance.now() < deadline) {
      const started = performance.now();
      const res = await fetch(url, { headers: { Authorization: `Bearer ${jwt}` } });
      await res.text();
      if (res.status !== 200) throw new Error(`GET ${url}: ${res.status}`);
      latencies.push(performance.now() - started);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, client));
  return { rps: latencies.length / ((performance.now() - started) / 1000), latencies };
}

/**
 * The cost on every authenticated request: the same requests against the playground with the plugin and without
 * it (copies of one database, the same JWT), in alternating windows so that the machine's load falls on both
 * alike. Both servers were started for this alone: one that had served the rest of the bench would carry a
 * larger heap, and its outbox could still be busy with the requests of the tests before.
 */
async function authOverhead(onUrl, offUrl, jwt, rounds, seconds) {
  const routes = { me: '/api/users/me', 'users-find': '/api/users?start=0&limit=1' };
  const out = {};
  for (const [name, route] of Object.entries(routes)) {
    // Warm-up (JIT) of both servers alike: they serve nothing but these requests.
    await getLoad(`${onUrl}${route}`, jwt, 4, QUICK ? 1 : 3);
    await getLoad(`${offUrl}${route}`, jwt, 4, QUICK ? 1 : 3);
    const on = { rps: [], latencies: [] };
    const off = { rps: [], latencies: [] };
    for (let r = 0; r < rounds; r++) {
      for (const [target, url] of stats.shuffle([
        [on, onUrl],
        [off, offUrl],
      ])) {
        const window = await getLoad(`${url}${route}`, jwt, 4, seconds);
        target.rps.push(window.rps);
        target.latencies.push(...window.latencies);
      }
    }
    const ratios = on.rps.map((rps, i) => off.rps[i] / rps);
    const lat = (s) => ({
      n: s.latencies.length,
      p50: round(stats.quantile(s.latencies, 0.5), 3),
      p99: round(stats.quantile(s.latencies, 0.99), 3),
    });
    out[name] = {
      rpsOn: round(stats.median(on.rps), 1),
      rpsOff: round(stats.median(off.rps), 1),
      ratio: round(stats.median(ratios), 4),
      ratioRange: [round(Math.min(...ratios), 4), round(Math.max(...ratios), 4)],
      ratios: ratios.map((ratio) => round(ratio, 4)),
      latencyOn: lat(on),
      latencyOff: lat(off),
      p50Ratio: round(stats.quantile(on.latencies, 0.5) / stats.quantile(off.latencies, 0.5), 4),
    };
  }
  return out;
}

/** A bulk send of activation codes: its time, the server's memory and the emails accepted, sampled every 100 ms. */
async function bulkSend(base, token, sink, users, pid) {
  const before = sink.accepted;
  const started = performance.now();
  const baseline = rssOfMb(pid);
  const trace = [];
  const sample = () => trace.push({ s: (performance.now() - started) / 1000, rssMb: rssOfMb(pid), sent: sink.accepted - before });
  sample();
  const sampler = setInterval(sample, 100);
  const res = await post(`${base}/password-reset/codes`, { userIds: users.map((u) => u.id) }, { Authorization: `Bearer ${token}` });
  const body = await res.json();
  // A send above `bulk.inlineLimit` is a job (202): it is done when the sink has every email.
  if (res.status !== 202 && body.summary?.sent !== users.length) throw new Error(`bulk send: ${JSON.stringify(body.summary ?? body)}`);
  while (sink.accepted - before < users.length) await sleep(20);
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  sample();
  return { seconds, rssGrowthMb: Math.max(...trace.map((t) => t.rssMb)) - baseline, trace };
}

/** Boots with and without the plugin, interleaved in pairs (random order within each pair). */
async function bootPairs(sink, dbFile, pairs) {
  // Each side its own database: Strapi drops the tables of content types it no longer has, so a boot without the
  // plugin on the same file would make the next boot with it create its tables again.
  const boot = async (enabled) => {
    const started = performance.now();
    const instance = await spawnPlayground({
      DB: 'sqlite',
      DATABASE_FILENAME: dbFile.replace(/\.db$/, enabled ? '-on.db' : '-off.db'),
      PORT: '0',
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(sink.port),
      PASSWORD_RESET_ENABLED: String(enabled),
    });
    const ms = performance.now() - started;
    await instance.stop();
    return ms;
  };
  await boot(true); // creates the tables once, outside the measurement
  await boot(false);
  const withPlugin = [];
  const withoutPlugin = [];
  for (let i = 0; i < pairs; i++) {
    for (const enabled of stats.shuffle([true, false])) (enabled ? withPlugin : withoutPlugin).push(await boot(enabled));
  }
  const ci = stats.bootstrapMedianDifference(withPlugin, withoutPlugin, { seed: pairs });
  return { withPlugin, withoutPlugin, overheadMs: ci.difference, ci95Ms: [round(ci.low, 0), round(ci.high, 0)] };
}

/**
 * Where a reset's time goes, in an in-process Strapi: each query of `resetWithCode`, counted and timed through
 * knex's query events, and the rest (bcrypt and JavaScript).
 */
async function resetBreakdown(env, accounts, sink) {
  return withStrapi(env, async (strapi) => {
    const knex = strapi.db.connection;
    const started = new Map();
    const queries = [];
    let recording = false;
    knex.on('query', (q) => recording && started.set(q.__knexQueryUid, { sql: q.sql, at: performance.now() }));
    knex.on('query-response', (_r, q) => {
      const begun = started.get(q.__knexQueryUid);
      if (begun) queries.push({ sql: begun.sql, ms: performance.now() - begun.at });
    });
    const recovery = strapi.plugin('password-reset').service('recovery');
    const codes = strapi.plugin('password-reset').service('codes');
    const totals = [];
    const hashes = [];
    const counts = [];
    for (const account of accounts) {
      const { token } = await codes.issueCode(account.id, 'reset', { type: 'system' });
      const password = `Bench-${randomBytes(6).toString('hex')}-Reset`;
      queries.length = 0;
      recording = true;
      totals.push(await time(() => recovery.resetWithCode(token, password, { type: 'visitor', ip: '127.0.0.1' })));
      recording = false;
      counts.push(queries.length);
      // The hash the Document Service makes of a password, in the same process (and its background work done).
      await sleep(25);
      hashes.push(await time(async () => bcrypt.hashSync(password, 10)));
    }
    // The last reset's queries, by kind (the statement with its values left out).
    const byStatement = new Map();
    for (const { sql, ms } of queries) {
      const key = sql
        .replace(/\s+/g, ' ')
        .replace(/\?(, ?\?)+/g, '?, …')
        .slice(0, 140);
      const entry = byStatement.get(key) ?? { statement: key, count: 0, ms: 0 };
      entry.count++;
      entry.ms = round(entry.ms + ms, 3);
      byStatement.set(key, entry);
    }
    await strapi.plugin('password-reset').service('outbox').drain();
    void sink;
    return {
      resets: totals.length,
      medianMs: round(stats.median(totals), 2),
      overheadMs: round(stats.median(totals) - stats.median(hashes), 2),
      queriesPerReset: stats.median(counts),
      queryMsLastReset: round(
        queries.reduce((sum, q) => sum + q.ms, 0),
        2,
      ),
      lastReset: [...byStatement.values()],
    };
  });
}

/** One full measurement on the running servers: everything but the PostgreSQL timing and the breakdown. */
async function measure({ sink, env, workDir, ctx, run }) {
  const results = {};
  const details = {};
  const spread = {};
  const { base, offBase, authOnBase, first, ineligible, bulkAccounts, reader, adminToken, server, largeBase } = ctx;

  log(`[run ${run}] timing: request route, eligible / ineligible / unknown, ${PLAN.timing} each, SMTP 200 ms`);
  sink.delayMs = 200;
  await waitForIdle(server.pid);
  const addresses = { eligible: first, ineligible, unknown: null };
  const ours = await timingTest(base, '/api/password-reset/forgot-password', addresses, PLAN.timing);
  log(`[run ${run}] timing: users-permissions' route, ${PLAN.builtin} each`);
  const builtin = await timingTest(base, '/api/auth/forgot-password', addresses, PLAN.builtin);
  log(`[run ${run}] timing under load: a second client at the same time, ${PLAN.loaded} each`);
  const loaded = await timingTest(base, '/api/password-reset/forgot-password', addresses, PLAN.loaded, { load: true });
  await sleep(1500);
  results.timing_diff_ci_pct = envelope(ours.vsUnknown);
  results.timing_diff_ci_pct_loaded = envelope(loaded.vsUnknown);
  results.timing_diff_ci_pct_builtin = envelope(builtin.vsUnknown);
  results.timing_ratio_ours = round(ours.summary.eligible.median / ours.summary.unknown.median);
  results.timing_ratio_builtin = round(builtin.summary.eligible.median / builtin.summary.unknown.median);
  spread.timing_ratio_ours = { n: PLAN.timing };
  spread.timing_ratio_builtin = { n: PLAN.builtin };
  details.timing = {
    ours: { summary: ours.summary, vsUnknown: ours.vsUnknown },
    loaded: { summary: loaded.summary, vsUnknown: loaded.vsUnknown, otherClientAfterEachClass: loaded.followersVsUnknown },
    builtin: { summary: builtin.summary, vsUnknown: builtin.vsUnknown },
  };

  log(`[run ${run}] throughput: unknown addresses, 10 clients, ${PLAN.throughputS} s each`);
  sink.delayMs = 0;
  const oursRps = await throughput(base, '/api/password-reset/forgot-password', 10, PLAN.throughputS);
  const builtinRps = await throughput(base, '/api/auth/forgot-password', 10, PLAN.throughputS);
  results.throughput_ratio_vs_builtin = round(oursRps / builtinRps);
  details.throughput = { oursRps: round(oursRps, 1), builtinRps: round(builtinRps, 1) };
  spread.throughput_ratio_vs_builtin = { n: 1, note: `${PLAN.throughputS} s of 10 clients per side` };

  log(`[run ${run}] auth overhead: GET /api/users/me and /api/users with a JWT, plugin on vs off`);
  const login = await post(`${base}/api/auth/local`, { identifier: reader.email, password: 'Bench-Password-2026' });
  const { jwt } = await login.json();
  if (!jwt) throw new Error('could not log in');
  await waitForIdle(server.pid);
  const auth = await authOverhead(authOnBase, offBase, jwt, PLAN.authRounds, PLAN.authS);
  results.auth_overhead_ratio = Math.max(auth.me.ratio, auth['users-find'].ratio);
  details.auth = auth;
  spread.auth_overhead_ratio = {
    n: PLAN.authRounds,
    note: 'median over alternating windows of rps(off)/rps(on); the worse of the two routes',
    range: [
      Math.max(auth.me.ratioRange[0], auth['users-find'].ratioRange[0]),
      Math.max(auth.me.ratioRange[1], auth['users-find'].ratioRange[1]),
    ],
  };

  log(`[run ${run}] bulk: activation codes for 1,000 and ${PLAN.bulk.toLocaleString('en')} accounts`);
  const bulk1k = await bulkSend(base, adminToken, sink, bulkAccounts.slice(0, 1000), server.pid);
  const bulkLarge = await bulkSend(base, adminToken, sink, bulkAccounts, server.pid);
  results.bulk_1k_seconds = round(bulk1k.seconds, 2);
  results.bulk_10k_seconds = round(bulkLarge.seconds, 2);
  results.bulk_10k_rss_mb = round(bulkLarge.rssGrowthMb, 1);
  details.bulk = { accounts: bulkAccounts.length, trace: bulkLarge.trace.map((t) => [round(t.s, 2), round(t.rssMb, 1), t.sent]) };

  log(`[run ${run}] reset: ${PLAN.resets} successful resets against as many bcrypt hashes at the same cost`);
  const resets = [];
  const hashes = [];
  const resetAccounts = bulkAccounts.slice(0, PLAN.resets);
  const request = async (route, body) => {
    const res = await post(`${base}${route}`, body);
    const text = await res.text();
    if (res.status !== 200) throw new Error(`${route}: ${res.status} ${text}`);
  };
  for (const user of resetAccounts) {
    const token = sink.tokens.get(user.email);
    const password = `Bench-${randomBytes(6).toString('hex')}-Reset`;
    // The reference: a request to the same server that only hashes the password as Strapi stores one (the
    // playground's bench route), so that both sides pay the same HTTP stack and the same CPU. In random order,
    // each after a pause, so that neither inherits the other's background work (the reset's notice email).
    for (const side of stats.shuffle(['reset', 'hash'])) {
      if (side === 'reset')
        resets.push(await time(() => request('/api/password-reset/reset', { token, password, passwordConfirmation: password })));
      else hashes.push(await time(() => request('/api/bench/bcrypt', { password })));
      await sleep(25);
    }
  }
  const resetCi = stats.bootstrapMedianDifference(resets, hashes, { seed: resets.length });
  results.reset_overhead_ms = round(resetCi.difference, 2);
  spread.reset_overhead_ms = { n: resets.length, ci95: [round(resetCi.low, 2), round(resetCi.high, 2)] };
  details.reset = { reset: roundSummary(stats.summary(resets)), bcrypt: roundSummary(stats.summary(hashes)) };

  log(`[run ${run}] lookup scaling: 1,000 accounts vs ${PLAN.lookupLarge.toLocaleString('en')}`);
  const small = await timingTest(base, '/api/password-reset/forgot-password', { eligible: first }, PLAN.lookup);
  const large = await timingTest(largeBase, '/api/password-reset/forgot-password', { eligible: first }, PLAN.lookup);
  results.lookup_scaling_ratio = round(large.summary.eligible.median / small.summary.eligible.median);
  spread.lookup_scaling_ratio = { n: PLAN.lookup };
  details.lookup = { small: small.summary.eligible, large: large.summary.eligible };

  log(`[run ${run}] boot: with and without the plugin, ${PLAN.boots} interleaved pairs`);
  const boots = await bootPairs(sink, path.join(workDir, `boot-${run}.db`), PLAN.boots);
  results.boot_overhead_ms = round(boots.overheadMs, 0);
  spread.boot_overhead_ms = { n: PLAN.boots, ci95: boots.ci95Ms };
  details.boot = { with: roundSummary(stats.summary(boots.withPlugin)), without: roundSummary(stats.summary(boots.withoutPlugin)) };
  void env;

  for (const key of ['timing_diff_ci_pct', 'timing_diff_ci_pct_loaded'])
    spread[key] = { n: PLAN[key.endsWith('loaded') ? 'loaded' : 'timing'] };
  spread.timing_diff_ci_pct_builtin = { n: PLAN.builtin };
  spread.bulk_1k_seconds = { n: 1 };
  spread.bulk_10k_seconds = { n: 1, accounts: bulkAccounts.length };
  spread.bulk_10k_rss_mb = { n: 1, accounts: bulkAccounts.length };
  return { results, details, spread, raw: { ours, loaded, builtin } };
}

/** The PostgreSQL timing test: its own schema, seeded and served like the SQLite one. */
async function postgresTiming(sink, env) {
  const { Client } = require('pg');
  const schema = `bench_${Date.now()}`;
  const admin = new Client({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test' });
  await admin.connect();
  await admin.query(`CREATE SCHEMA "${schema}"`);
  const pgEnv = { ...env, DB: 'postgres', DATABASE_SCHEMA: schema, DATABASE_NAME: 'test' };
  delete pgEnv.DATABASE_FILENAME;
  try {
    const [first, ineligible] = await withStrapi(pgEnv, async (strapi) => [
      await insertAccounts(strapi, 'first', 1000),
      await insertAccounts(strapi, 'inactive', 200, { confirmed: false }),
    ]);
    const server = await spawnPlayground({ ...pgEnv, PORT: '0' });
    try {
      sink.delayMs = 200;
      const addresses = { eligible: first, ineligible, unknown: null };
      log('[postgres] timing');
      const ours = await timingTest(server.url, '/api/password-reset/forgot-password', addresses, PLAN.postgresTiming.timing);
      log('[postgres] timing under load');
      const loaded = await timingTest(server.url, '/api/password-reset/forgot-password', addresses, PLAN.postgresTiming.loaded, {
        load: true,
      });
      await sleep(1500);
      return {
        timing_diff_ci_pct: envelope(ours.vsUnknown),
        timing_diff_ci_pct_loaded: envelope(loaded.vsUnknown),
        n: PLAN.postgresTiming.timing,
        nLoaded: PLAN.postgresTiming.loaded,
        details: {
          ours: { summary: ours.summary, vsUnknown: ours.vsUnknown },
          loaded: { summary: loaded.summary, vsUnknown: loaded.vsUnknown },
        },
      };
    } finally {
      await server.stop();
    }
  } finally {
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.end();
  }
}

/**
 * The timing intervals over every run's samples together: the runs' probes of each class make one test (within a
 * run the classes are interleaved, so a slower run weighs on every class alike).
 */
function poolTiming(runs, results, spread) {
  const pooled = {};
  for (const [key, test] of [
    ['timing_diff_ci_pct', 'ours'],
    ['timing_diff_ci_pct_loaded', 'loaded'],
    ['timing_diff_ci_pct_builtin', 'builtin'],
  ]) {
    const samples = {};
    for (const run of runs) for (const [name, values] of Object.entries(run.raw[test].samples)) (samples[name] ??= []).push(...values);
    const summary = Object.fromEntries(Object.entries(samples).map(([name, values]) => [name, roundSummary(stats.summary(values))]));
    const strata = runs.map((run) => run.raw[test].samples.unknown.length);
    pooled[test] = { summary, vsUnknown: compare(samples, { strata }) };
    results[key] = envelope(pooled[test].vsUnknown);
    spread[key] = { ...spread[key], n: samples.unknown.length, pooledRuns: runs.length };
  }
  return pooled;
}

/** `auth_overhead_ratio` over every run's windows: the median window of each route, the worse route. */
function poolAuth(runs, results, spread) {
  const pooled = Object.fromEntries(
    Object.keys(runs[0].details.auth).map((route) => [route, runs.flatMap((run) => run.details.auth[route].ratios)]),
  );
  const medians = Object.values(pooled).map((ratios) => stats.median(ratios));
  results.auth_overhead_ratio = round(Math.max(...medians), 4);
  spread.auth_overhead_ratio = {
    ...spread.auth_overhead_ratio,
    pooledRuns: runs.length,
    n: Math.min(...Object.values(pooled).map((ratios) => ratios.length)),
    unit: 'windows per route',
    byRoute: Object.fromEntries(Object.entries(pooled).map(([route, ratios]) => [route, round(stats.median(ratios), 4)])),
  };
}

/** The median of the runs for each key; [low, high] keys take the median of each end. */
function combine(runs) {
  const results = {};
  const spread = {};
  for (const key of Object.keys(runs[0].results)) {
    const values = runs.map((r) => r.results[key]);
    if (Array.isArray(values[0])) {
      results[key] = [stats.median(values.map((v) => v[0])), stats.median(values.map((v) => v[1]))].map((v) => round(v, 2));
    } else results[key] = round(stats.median(values), 3);
    spread[key] = { runs: values, perRun: runs.map((r) => r.spread[key]) };
  }
  return { results, spread };
}

function writeCharts(run, delivery) {
  fs.mkdirSync(CHARTS, { recursive: true });
  const files = {};
  const write = (name, content) => {
    fs.writeFileSync(path.join(CHARTS, name), content);
    files[name] = path.relative(OUT, path.join(CHARTS, name));
  };
  const { ours, loaded, builtin } = run.raw;
  write(
    'timing-ours.svg',
    svg.histogram({
      title: "This plugin's request route (200 ms SMTP), one request at a time",
      xLabel: 'response time (ms)',
      series: ['eligible', 'ineligible', 'unknown'].map((name) => ({ name, values: ours.samples[name] })),
    }),
  );
  write(
    'timing-ours-loaded.svg',
    svg.histogram({
      title: "This plugin's request route with a second client at the same time",
      xLabel: 'response time (ms)',
      series: ['eligible', 'ineligible', 'unknown'].map((name) => ({ name, values: loaded.samples[name] })),
    }),
  );
  write(
    'timing-builtin.svg',
    svg.histogram({
      title: "users-permissions' /api/auth/forgot-password (200 ms SMTP)",
      xLabel: 'response time (ms)',
      series: ['eligible', 'ineligible', 'unknown'].map((name) => ({ name, values: builtin.samples[name] })),
      clip: 1,
    }),
  );
  const trace = run.details.bulk.trace;
  const rate = trace.slice(1).map((t, i) => [t[0], (t[2] - trace[i][2]) / (t[0] - trace[i][0] || 1)]);
  const smooth = rate.map(([s], i) => [s, stats.median(rate.slice(Math.max(0, i - 5), i + 5).map((r) => r[1]))]);
  write(
    'bulk-throughput.svg',
    svg.lineChart({
      title: `Bulk send of ${run.details.bulk.accounts.toLocaleString('en')} activation codes: emails accepted per second`,
      xLabel: 'seconds since the request',
      yLabel: 'emails / s (median of 1 s)',
      series: [{ name: 'emails accepted by the SMTP server', points: smooth }],
    }),
  );
  write(
    'bulk-memory.svg',
    svg.lineChart({
      title: `Server memory during the ${run.details.bulk.accounts.toLocaleString('en')}-account bulk send`,
      xLabel: 'seconds since the request',
      yLabel: 'resident memory (MiB)',
      series: [{ name: 'Strapi process RSS', points: trace.map((t) => [t[0], t[1]]) }],
      yFromZero: false,
    }),
  );
  const job = delivery.bulk.trace;
  const jobRate = job.slice(1).map((t, i) => [t.s, (t.sent - job[i].sent) / (t.s - job[i].s || 1)]);
  write(
    'job-throughput.svg',
    svg.lineChart({
      title: `A job of ${PLAN.delivery.bulkJob.toLocaleString('en')} activation codes: emails accepted per second`,
      xLabel: 'seconds since the request',
      yLabel: 'emails / s',
      series: [
        {
          name: 'emails accepted by the SMTP server',
          points: jobRate.map(([t], i) => [t, stats.median(jobRate.slice(Math.max(0, i - 4), i + 4).map((r) => r[1]))]),
        },
      ],
    }),
  );
  write(
    'job-memory.svg',
    svg.lineChart({
      title: `Server memory during a job of ${PLAN.delivery.bulkJob.toLocaleString('en')} accounts`,
      xLabel: 'seconds since the request',
      yLabel: 'resident memory (MiB)',
      series: [{ name: 'Strapi process RSS', points: job.map((t) => [t.s, t.rssMb]) }],
      yFromZero: false,
    }),
  );
  return files;
}

async function main() {
  const benchStarted = performance.now();
  execFileSync(process.execPath, [path.join(root, 'scripts', 'prepare.js')], { stdio: 'inherit' });
  const sink = await startMailSink();
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'password-reset-bench-'));
  const dbFile = path.join(workDir, 'bench.db');
  const largeDbFile = path.join(workDir, 'large.db');
  const env = serverEnv(
    sink,
    { DB: 'sqlite', DATABASE_FILENAME: dbFile },
    // users-permissions' routes untouched, to be measured; each run sends to the same accounts again.
    { takeOverUsersPermissionsRoutes: false, bulk: { skipRecentMinutes: 0 } },
  );
  Object.assign(process.env, env);

  log(`accounts: 1,000 eligible, 200 not activated, ${PLAN.bulk.toLocaleString('en')} for the bulk sends`);
  let templateCheckMs;
  const [[reader], first, ineligible, bulkAccounts] = await withStrapi(env, async (strapi) => {
    await grantUserFind(strapi);
    templateCheckMs = templateCheckWorst(strapi);
    return [
      await insertAccounts(strapi, 'reader', 1),
      await insertAccounts(strapi, 'first', 1000),
      await insertAccounts(strapi, 'inactive', 200, { confirmed: false }),
      await insertAccounts(strapi, 'bulk', PLAN.bulk),
    ];
  });
  fs.copyFileSync(dbFile, largeDbFile);
  // The playground without the plugin gets its own copy: Strapi drops the tables of content types it does not have.
  const offDbFile = path.join(workDir, 'off.db');
  fs.copyFileSync(dbFile, offDbFile);
  const authOnDbFile = path.join(workDir, 'auth-on.db');
  fs.copyFileSync(dbFile, authOnDbFile);
  const extra = PLAN.lookupLarge - 1201 - PLAN.bulk;
  log(`accounts: ${extra.toLocaleString('en')} more in a copy, for the lookup scaling`);
  await withStrapi({ ...env, DATABASE_FILENAME: largeDbFile }, (strapi) => insertAccounts(strapi, 'many', extra));

  const server = await spawnPlayground({ ...env, PORT: '0' });
  const off = await spawnPlayground({ ...env, DATABASE_FILENAME: offDbFile, PORT: '0', PASSWORD_RESET_ENABLED: 'false' });
  const large = await spawnPlayground({ ...env, DATABASE_FILENAME: largeDbFile, PORT: '0' });
  const authOn = await spawnPlayground({ ...env, DATABASE_FILENAME: authOnDbFile, PORT: '0' });
  const adminToken = await registerAdmin(server.url);
  const ctx = {
    base: server.url,
    offBase: off.url,
    authOnBase: authOn.url,
    largeBase: large.url,
    first,
    ineligible,
    bulkAccounts,
    reader,
    adminToken,
    server,
  };

  const runs = [];
  try {
    for (let run = 1; run <= PLAN.runs; run++) runs.push(await measure({ sink, env, workDir, ctx, run }));
  } finally {
    await Promise.all([server.stop(), off.stop(), large.stop(), authOn.stop()]);
  }

  log('reset breakdown: each query of resetWithCode, in-process');
  const breakdown = await resetBreakdown(env, bulkAccounts.slice(PLAN.resets, PLAN.resets + 20), sink);

  let postgres = null;
  if (PLAN.postgres) {
    try {
      postgres = await postgresTiming(sink, env);
    } catch (error) {
      log(`postgres: skipped (${error.message})`);
      postgres = { skipped: error.message };
    }
  }
  log(
    `delivery: a ${PLAN.delivery.bulkJob.toLocaleString('en')}-account job, a flood of ${PLAN.delivery.flood.requests.toLocaleString('en')} requests, the outbox's latency`,
  );
  const delivery = await measureDelivery(sink, workDir, PLAN.delivery);
  await sink.close();
  fs.rmSync(workDir, { recursive: true, force: true });

  log('results: intervals, tables and charts');
  const { results, spread } = combine(runs);
  const pooledTiming = poolTiming(runs, results, spread);
  poolAuth(runs, results, spread);
  const once = (key, value, perRun) => {
    results[key] = value;
    spread[key] = { runs: [value], perRun: [perRun] };
  };
  const jobAccounts = { n: 1, accounts: PLAN.delivery.bulkJob };
  once('bulk_100k_seconds', round(delivery.bulk.seconds, 1), jobAccounts);
  once('template_check_ms_100k', templateCheckMs, { n: 1 });
  once('bulk_100k_rss_mb', round(delivery.bulk.rssGrowthMb, 1), jobAccounts);
  once('bulk_100k_cpu_s', round(delivery.bulk.cpuSeconds, 1), jobAccounts);
  once('flood_rss_mb', round(delivery.flood.rssGrowthMb, 1), { n: PLAN.delivery.flood.requests });
  once('flood_rss_mb_builtin', round(delivery.floodBuiltin.rssGrowthMb, 1), { n: PLAN.delivery.flood.requests });
  once('bulk_100k_heap_kept_mb', round(delivery.bulk.keptHeapMb, 1), jobAccounts);
  once('flood_heap_kept_mb', round(delivery.flood.keptHeapMb, 1), { n: PLAN.delivery.flood.requests });
  once('bulk_100k_live_heap_mb', round(delivery.bulk.liveHeapMb, 1), jobAccounts);
  once('flood_live_heap_mb', round(delivery.flood.liveHeapMb, 1), { n: PLAN.delivery.flood.requests });
  once('flood_live_heap_mb_builtin', round(delivery.floodBuiltin.liveHeapMb, 1), { n: PLAN.delivery.flood.requests });
  once('flood_latency_ratio', round(delivery.flood.latency.median / delivery.flood.calm.median, 2), {
    n: PLAN.delivery.flood.requests,
    note: 'median latency in the flood (20 clients) over the median of 300 requests at rest, one at a time',
  });
  once('flood_mailed_pct', round((100 * delivery.flood.mailed) / delivery.flood.eligible, 2), { n: delivery.flood.eligible });
  once('outbox_latency_ms', round(delivery.latency.median, 1), {
    n: PLAN.delivery.latency,
    range: [round(delivery.latency.p25, 1), round(delivery.latency.p75, 1)],
  });
  // The run whose timing interval is the median one gives the charts and the details.
  const middle = runs[Math.floor(runs.length / 2)];
  const charts = writeCharts(middle, delivery);
  const machine = {
    date: new Date().toISOString(),
    mode: QUICK ? 'quick' : 'full',
    runs: PLAN.runs,
    minutes: round((performance.now() - benchStarted) / 60000, 1),
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    loadAverage: os.loadavg().map((v) => round(v, 2)),
    memoryGb: round(os.totalmem() / 1024 ** 3, 1),
    node: process.version,
    strapi: require('@strapi/strapi/package.json').version,
    plugin: require(path.join(root, 'package.json')).version,
  };
  const json = {
    ...results,
    postgres: postgres?.skipped
      ? postgres
      : postgres && {
          timing_diff_ci_pct: postgres.timing_diff_ci_pct,
          timing_diff_ci_pct_loaded: postgres.timing_diff_ci_pct_loaded,
          bulk_100k_seconds: delivery.bulkPostgres && round(delivery.bulkPostgres.seconds, 1),
          bulk_100k_rss_mb: delivery.bulkPostgres && round(delivery.bulkPostgres.rssGrowthMb, 1),
        },
    spread,
    machine,
    plan: PLAN,
    charts,
    details: {
      ...middle.details,
      // The timing tables over every run's samples; each run's own intervals are under spread.
      timing: {
        ...pooledTiming,
        loaded: { ...pooledTiming.loaded, otherClientAfterEachClass: middle.details.timing.loaded.otherClientAfterEachClass },
      },
      bulk: { accounts: middle.details.bulk.accounts, traceColumns: ['s', 'rssMb', 'sent'], trace: middle.details.bulk.trace },
      resetBreakdown: breakdown,
      delivery: {
        flood: {
          latency: roundSummary(delivery.flood.latency),
          calm: roundSummary(delivery.flood.calm),
          requestSeconds: round(delivery.flood.requestSeconds, 1),
          mailed: delivery.flood.mailed,
          eligible: delivery.flood.eligible,
        },
        latency: roundSummary(delivery.latency),
        job: {
          accounts: PLAN.delivery.bulkJob,
          postAnsweredInS: round(delivery.bulk.acceptedIn, 3),
          traceColumns: ['s', 'rssMb', 'sent'],
          trace: job100kTrace(delivery.bulk.trace),
        },
      },
      postgres: postgres?.details ?? null,
      runs: runs.map((r) => r.results),
    },
  };
  fs.mkdirSync(OUT, { recursive: true });
  fs.writeFileSync(path.join(OUT, 'results.json'), `${JSON.stringify(json, null, 2)}\n`);
  fs.writeFileSync(
    path.join(OUT, 'results.md'),
    markdown({ results, spread, machine, postgres, middle, breakdown, charts, timing: json.details.timing }),
  );
  const rows = Object.entries(results).map(([key, value]) => `${key}: ${JSON.stringify(value)} (target ${TARGETS[key]})`);
  log(
    `\n${rows.join('\n')}\npostgres: ${JSON.stringify(json.postgres)}\nwritten to ${path.relative(root, OUT)}/results.json and results.md (${machine.minutes} min)`,
  );
  process.exit(0);
}

/** The job's trace, one point per second. */
const job100kTrace = (trace) => trace.filter((_, i) => i % 4 === 0).map((t) => [round(t.s, 1), round(t.rssMb, 1), t.sent]);

const cell = (value) => (Array.isArray(value) ? `[${value.join(', ')}]` : String(value));
const spreadCell = (s) => {
  const perRun = s.perRun[0] ?? {};
  if (s.pooledRuns > 1)
    return `the ${s.pooledRuns} runs' samples pooled: n = ${s.n} ${s.unit ?? 'per class'}; each run alone: ${s.runs.map(cell).join(' · ')}`;
  const parts = [`${s.runs.length} run${s.runs.length > 1 ? 's' : ''}: ${s.runs.map(cell).join(' · ')}`, `n = ${perRun.n} per run`];
  if (perRun.ci95) parts.push(`95% CI per run ${s.perRun.map((p) => cell(p.ci95)).join(' · ')}`);
  if (perRun.range) parts.push(`window range per run ${s.perRun.map((p) => cell(p.range)).join(' · ')}`);
  return parts.join('; ');
};

function markdown({ results, spread, machine, postgres, middle, breakdown, charts, timing }) {
  const rows = Object.entries(results).map(
    ([key, value]) => `| \`${key}\` | ${cell(value)} | ${TARGETS[key]} | ${spreadCell(spread[key])} |`,
  );
  const t = timing;
  const timingRows = [];
  for (const [label, part] of [
    ['ours', t.ours],
    ['ours, second client', t.loaded],
    ["users-permissions'", t.builtin],
  ]) {
    for (const [name, c] of Object.entries(part.vsUnknown)) {
      timingRows.push(
        `| ${label} | ${name} − unknown | ${part.summary[name].n} | ${part.summary[name].median} / ${part.summary.unknown.median} | ${c.medianDiffMs} | ${cell(c.ci95Pct)} | ${c.mannWhitney.p} |`,
      );
    }
  }
  const after = t.loaded.otherClientAfterEachClass ?? {};
  const followerRows = Object.entries(after).map(
    ([name, c]) => `| second client, after a probe of: ${name} − unknown | ${c.medianDiffMs} | ${cell(c.ci95Pct)} | ${c.mannWhitney.p} |`,
  );
  const a = middle.details.auth;
  const authRows = Object.entries(a).map(
    ([name, r]) =>
      `| ${name === 'me' ? 'GET /api/users/me' : 'GET /api/users?start=0&limit=1'} | ${r.rpsOn} / ${r.rpsOff} | ${r.latencyOn.p50} / ${r.latencyOff.p50} | ${r.latencyOn.p99} / ${r.latencyOff.p99} | ${r.ratio} (${cell(r.ratioRange)}) |`,
  );
  return [
    '# Benchmark results',
    '',
    `Measured by \`npm run bench${machine.mode === 'quick' ? ' -- --quick' : ''}\` on ${machine.date} (${machine.runs} run${machine.runs > 1 ? 's' : ''}, ${machine.minutes} min): ${machine.cores} × ${machine.cpu}, ${machine.memoryGb} GiB, load average ${machine.loadAverage.join(' / ')}, Node ${machine.node}, Strapi ${machine.strapi}, plugin ${machine.plugin}. SQLite unless said; rate limits off; users-permissions' own routes untouched for their part. Each key is the median of the runs, but for the timing intervals and the auth overhead, which are measured once over every run's samples together; the last column gives each run's value, the samples per run and, where there is one, each run's spread.`,
    '',
    '| key | measured | target | runs and spread |',
    '|---|---|---|---|',
    ...rows,
    '',
    postgres?.skipped
      ? `PostgreSQL: not measured (${postgres.skipped}).`
      : postgres
        ? `PostgreSQL (one run, ${postgres.n} and ${postgres.nLoaded} per class): \`postgres.timing_diff_ci_pct\` ${cell(postgres.timing_diff_ci_pct)}, \`postgres.timing_diff_ci_pct_loaded\` ${cell(postgres.timing_diff_ci_pct_loaded)} (target: within ±2 each).`
        : 'PostgreSQL: not measured in this mode (`--quick` or `--no-postgres`).',
    '',
    '## Timing: is an address with an account told apart by the response time?',
    '',
    `The classes in blocks of one probe each, in random order within the block; SMTP server answering after 200 ms. \`timing_diff_ci_pct\` is the widest of the classes' 95% bootstrap intervals of the median difference from unknown addresses (whole blocks resampled, within their run), in percent of the unknown-address median, over the samples of every run together. Without load, ${PROBE_PAUSE_MS} ms pass after each probe; under load, a second client sends requests (unknown addresses) the whole time and the probes follow each other without a pause.`,
    '',
    '| route | comparison | n per class | median ms (class / unknown) | median diff ms | 95% CI, % of unknown | rank-sum p |',
    '|---|---|---|---|---|---|---|',
    ...timingRows,
    '',
    "Background work for an eligible address showing in other requests: the second client's requests, sorted by the class of the probe sent just before them.",
    '',
    '| comparison | median diff ms | 95% CI, % of unknown | rank-sum p |',
    '|---|---|---|---|',
    ...followerRows,
    '',
    `![timing, ours](${charts['timing-ours.svg']}) ![timing, ours, loaded](${charts['timing-ours-loaded.svg']}) ![timing, users-permissions](${charts['timing-builtin.svg']})`,
    '',
    '## The cost on every authenticated request',
    '',
    'The playground with the plugin and without it, on the same database, the same JWT, 4 clients, alternating windows. The ratio is requests per second without ÷ with (median of the windows; the range in brackets).',
    '',
    '| request | req/s on / off | p50 ms on / off | p99 ms on / off | ratio |',
    '|---|---|---|---|---|',
    ...authRows,
    '',
    '## Where a reset spends its time',
    '',
    "`reset_overhead_ms` is the median difference between a reset (`POST /api/password-reset/reset`) and a request to the same server that only hashes the password the way Strapi stores one (bcryptjs `hashSync`, cost 10: the playground's bench route), in random order, so that both pay the same HTTP stack on the same CPU.",
    '',
    `\`resetWithCode\` in an in-process Strapi (SQLite), ${breakdown.resets} resets: median ${breakdown.medianMs} ms, ${breakdown.overheadMs} ms more than a hash in the same process; ${breakdown.queriesPerReset} queries per reset (median); the last one's queries took ${breakdown.queryMsLastReset} ms in all. By statement:`,
    '',
    '| statement | count | ms |',
    '|---|---|---|',
    ...breakdown.lastReset.map((q) => `| \`${q.statement.replace(/\|/g, '\\|')}\` | ${q.count} | ${q.ms} |`),
    '',
    '## Bulk sends',
    '',
    `Throughput and memory over a send of ${middle.details.bulk.accounts.toLocaleString('en')} accounts, then over a job of ${PLAN.delivery.bulkJob.toLocaleString('en')} (\`bench/delivery.js\`, once per bench).`,
    '',
    `![bulk throughput](${charts['bulk-throughput.svg']}) ![bulk memory](${charts['bulk-memory.svg']})`,
    '',
    `![job throughput](${charts['job-throughput.svg']}) ![job memory](${charts['job-memory.svg']})`,
    '',
  ].join('\n');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
