// The shared stores: with `redis` or `database`, counters live outside the process, so several Strapi
// instances share one limit. Here: the counters are where they should be and survive a new limiter.
import { startPlayground } from '../helpers/strapi';

// Redis outlives test runs: each run counts under its own prefix.
const limits = { enabled: true, keyPrefix: `test-${Date.now()}-${process.pid}`, forgotPerEmail: { points: 1, durationSeconds: 60 } };
// Where counts live is the subject here, not outages (rate-limit-redis-outage.test.ts): a deadline that a loaded test
// machine's pauses cannot reach.
const redisTimeoutMs = 5000;

describe.each(['redis', 'database'] as const)('the %s store', (store) => {
  it('keeps the per-address count outside the process', async () => {
    const playground = await startPlayground({ config: { rateLimit: { ...limits, store, redisTimeoutMs } } });
    try {
      const email = `shared-${store}-${Date.now()}@example.test`;
      const ask = () => playground.http().post('/api/password-reset/forgot-password').send({ email });
      expect((await ask()).status).toBe(200);
      // A fresh set of limiters, as another Strapi instance would have, sees the same count.
      const rateLimit = playground.strapi.plugin('password-reset').service('rate-limit');
      await rateLimit.close();
      expect((await ask()).status).toBe(429);
      await playground.settle();
    } finally {
      await playground.close();
    }
  }, 60000);
});
