// Rate limits on Redis while Redis fails. A Redis that hangs or refuses delays the public routes by at most
// `rateLimit.redisTimeoutMs`; meanwhile each instance counts in its own memory (`whenStoreDown: 'memory'`) or
// refuses the routes with 503 (`'refuse'`); the log says once when the outage starts and once when it ends; once
// Redis is back the limits are shared again. Redis is reached through a fault proxy; the shared Redis itself is
// never touched but for reading this file's own keys.
import Redis from 'ioredis';
import { startFaultProxy, type FaultProxy } from '../helpers/fault-proxy';
import { startPlayground, type Playground } from '../helpers/strapi';

jest.setTimeout(120000);

// With the process id: the PostgreSQL and MariaDB suites run at once, on one Redis (.ci/run).
const keyPrefix = `outage-${Date.now()}-${process.pid}`;
// Generous for a loaded machine: the point is that the old wait (no deadline at all) is gone.
const BOUND_MS = 3000;

let proxy: FaultProxy;
let playground: Playground;
let redis: Redis;
const logged: Array<{ level: 'warn' | 'info'; message: string }> = [];
const unhandled: string[] = [];
const onUnhandledRejection = (reason: unknown) => unhandled.push(`unhandledRejection: ${String(reason)}`);

beforeAll(async () => {
  proxy = await startFaultProxy({ host: '127.0.0.1', port: 6379 });
  redis = new Redis('redis://127.0.0.1:6379', { lazyConnect: true });
  process.on('unhandledRejection', onUnhandledRejection);
  // An ioredis error event that no listener takes is written to the console, which Jest's realms hide (the error is
  // not an `instanceof Error` of the test's realm): count such events where ioredis emits them.
  const prototype = Redis.prototype as unknown as { silentEmit(this: Redis, event: string, arg?: unknown): unknown };
  const silentEmit = prototype.silentEmit;
  jest.spyOn(prototype, 'silentEmit').mockImplementation(function (this: Redis, event: string, arg?: unknown) {
    if (event === 'error' && this.status !== 'end' && this.listenerCount('error') === 0) {
      unhandled.push(`ioredis error event with no listener: ${String(arg)}`);
    }
    return silentEmit.call(this, event, arg);
  });
  playground = await startPlayground({
    config: {
      rateLimit: {
        enabled: true,
        store: 'redis',
        redisUrl: `redis://127.0.0.1:${proxy.port}`,
        redisTimeoutMs: 300,
        keyPrefix,
        forgotPerEmail: { points: 2, durationSeconds: 60 },
        forgotPerIp: { points: 1000, durationSeconds: 60 },
        checkPerIp: { points: 1000, durationSeconds: 60 },
      },
    },
  });
  for (const level of ['warn', 'info'] as const) {
    const original = playground.strapi.log[level].bind(playground.strapi.log);
    jest.spyOn(playground.strapi.log, level).mockImplementation(((message: unknown, ...rest: unknown[]) => {
      if (/redis/i.test(String(message))) logged.push({ level, message: String(message) });
      return original(message as string, ...(rest as []));
    }) as never);
  }
}, 120000);

afterAll(async () => {
  await playground?.close();
  await proxy?.close();
  redis?.disconnect();
  process.off('unhandledRejection', onUnhandledRejection);
  jest.restoreAllMocks();
}, 60000);

/** A public request, timed; the client gives up after 10 s, well past the bound. */
async function timed(path: string, body: object) {
  const started = Date.now();
  const res = await playground.http().post(`/api/password-reset${path}`).timeout(10000).send(body);
  return { status: res.status, ms: Date.now() - started, res };
}

/** Three link requests for one new address, each answered within the bound: the limit of 2 still refuses the third. */
async function expectCountedInMemory(label: string) {
  const email = `${label}-${Date.now()}@example.test`;
  const statuses = [];
  for (let i = 0; i < 3; i++) {
    const { status, ms } = await timed('/forgot-password', { email });
    expect(ms).toBeLessThan(BOUND_MS);
    statuses.push(status);
  }
  expect(statuses).toEqual([200, 200, 429]);
  const check = await timed('/check', { token: 'A'.repeat(43) });
  expect(check.ms).toBeLessThan(BOUND_MS);
  expect(check.status).toBe(200);
  expect(check.res.body).toEqual({ valid: false });
  return email;
}

const outageLines = () => logged.filter((line) => line.level === 'warn');
const recoveryLines = () => logged.filter((line) => line.level === 'info');

describe('rate limits on a Redis that fails', () => {
  it('count in Redis while it answers', async () => {
    const email = `healthy-${Date.now()}@example.test`;
    expect((await timed('/forgot-password', { email })).status).toBe(200);
    expect(await redis.get(`${keyPrefix}:forgotPerEmail:${email}`)).toBe('1');
    expect(logged).toEqual([]);
    await playground.settle();
  });

  it('answer within the deadline and count in memory while Redis hangs', async () => {
    await proxy.set('stall');
    proxy.stallOpen();
    await expectCountedInMemory('stalled');
    // Limiters built afresh (as a new instance's would be) while Redis hangs do not wait for it either.
    await playground.strapi.plugin('password-reset').service('rate-limit').close();
    await expectCountedInMemory('stalled-fresh');
    await playground.settle();
  });

  it('answer within the deadline and count in memory while Redis refuses connections', async () => {
    await proxy.set('refuse');
    await expectCountedInMemory('refused');
    await playground.settle();
  });

  it("refuse the routes with 503 and Retry-After in 'refuse' mode, the same for every address", async () => {
    const { strapi } = playground;
    strapi.config.set('plugin::password-reset.rateLimit.whenStoreDown', 'refuse');
    try {
      const answers = [];
      for (const email of [`one-${Date.now()}@example.test`, `two-${Date.now()}@example.test`, 'not an address']) {
        answers.push(await timed('/forgot-password', { email }));
      }
      answers.push(await timed('/check', { token: 'A'.repeat(43) }));
      for (const { status, ms, res } of answers) {
        expect(ms).toBeLessThan(BOUND_MS);
        expect(status).toBe(503);
        expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
        expect(res.body).toEqual(answers[0].res.body);
      }
      expect(answers[0].res.body.error.message).toMatch(/try again/i);
    } finally {
      strapi.config.set('plugin::password-reset.rateLimit.whenStoreDown', 'memory');
    }
  });

  it('share the limits again once Redis is back, and say so once', async () => {
    await proxy.set('pass');
    const deadline = Date.now() + 20000;
    while (recoveryLines().length === 0 && Date.now() < deadline) {
      // Requests during the recovery keep being answered.
      expect((await timed('/check', { token: 'A'.repeat(43) })).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const email = `back-${Date.now()}@example.test`;
    expect((await timed('/forgot-password', { email })).status).toBe(200);
    expect((await timed('/forgot-password', { email })).status).toBe(200);
    expect(await redis.get(`${keyPrefix}:forgotPerEmail:${email}`)).toBe('2');
    expect((await timed('/forgot-password', { email })).status).toBe(429);
    await playground.settle();

    expect(outageLines()).toHaveLength(1);
    expect(outageLines()[0].message).toMatch(/Redis/);
    expect(recoveryLines()).toHaveLength(1);
    expect(recoveryLines()[0].message).toMatch(/Redis/);
  });

  it('leave no unhandled error event or rejection behind', () => {
    expect(unhandled).toEqual([]);
  });
});
