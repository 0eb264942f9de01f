// Rate limits on the public routes: 429 with Retry-After, one bucket per normalized address however the
// address is written, per IP on check and reset.
import { usePlayground } from '../helpers/strapi';

const playground = usePlayground({
  config: {
    rateLimit: {
      enabled: true,
      forgotPerEmail: { points: 2, durationSeconds: 60 },
      forgotPerIp: { points: 8, durationSeconds: 60 },
      checkPerIp: { points: 3, durationSeconds: 60 },
      resetPerIp: { points: 3, durationSeconds: 60 },
    },
  },
});

const post = (path: string, body: object) => playground().http().post(`/api/password-reset${path}`).send(body);

describe('link requests', () => {
  it('are limited per address: case, spaces and extra fields do not buy a new bucket', async () => {
    expect((await post('/forgot-password', { email: 'Limited@Example.test' })).status).toBe(200);
    expect((await post('/forgot-password', { email: '  limited@example.TEST ', extra: 1 })).status).toBe(200);
    const refused = await post('/forgot-password', { email: 'LIMITED@EXAMPLE.TEST' });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(refused.body.error.message).toMatch(/Too many requests/);
    // Another address still has its own allowance.
    expect((await post('/forgot-password', { email: 'someone-else@example.test' })).status).toBe(200);
    await playground().settle();
  });

  it('are limited per IP, bad bodies included', async () => {
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await post('/forgot-password', { email: i % 2 ? `ip-${i}@example.test` : 42 })).status);
    // 4 requests were spent by the test above (8 per IP).
    expect(statuses).toEqual([400, 200, 400, 200, 429, 429]);
    await playground().settle();
  });
});

describe('code checks and resets', () => {
  it('are limited per IP, and X-Forwarded-For buys no new bucket while server.proxy is off', async () => {
    const checks = [];
    for (let i = 0; i < 4; i++) {
      checks.push((await post('/check', { token: 'A'.repeat(43) }).set('X-Forwarded-For', `203.0.113.${i}`)).status);
    }
    expect(checks).toEqual([200, 200, 200, 429]);
    const resets = [];
    for (let i = 0; i < 4; i++)
      resets.push((await post('/reset', { token: 'A'.repeat(43), password: 'x', passwordConfirmation: 'x' })).status);
    expect(resets).toEqual([400, 400, 400, 429]);
  });
});
