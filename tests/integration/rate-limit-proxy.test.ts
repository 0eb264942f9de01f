// Behind a reverse proxy (server.proxy on, so the client's address comes from X-Forwarded-For), per-IP limits
// count an IPv6 client by its /64 — a host that owns a /64 cannot buy a fresh bucket per address — and an
// IPv4-mapped IPv6 address as the IPv4 client it is.
import { usePlayground } from '../helpers/strapi';

const playground = usePlayground({
  env: { PROXY: 'true' },
  config: { rateLimit: { enabled: true, checkPerIp: { points: 3, durationSeconds: 60 } } },
});

const check = (from: string) =>
  playground()
    .http()
    .post('/api/password-reset/check')
    .set('X-Forwarded-For', from)
    .send({ token: 'A'.repeat(43) })
    .then((res) => res.status);

describe('per-IP limits behind a proxy', () => {
  it('share one bucket between the addresses of one IPv6 /64, and not with the next /64', async () => {
    const sameNetwork = ['2001:db8:1:2::1', '2001:db8:1:2::2', '2001:db8:1:2:ffff:ffff:ffff:ffff', '2001:0db8:0001:0002::beef'];
    const statuses = [];
    for (const from of sameNetwork) statuses.push(await check(from));
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect(await check('2001:db8:1:3::1')).toBe(200);
  });

  it('count an IPv4-mapped address as its IPv4 address, and keep IPv4 per address', async () => {
    const statuses = [];
    for (const from of ['203.0.113.7', '::ffff:203.0.113.7', '203.0.113.7', '::ffff:203.0.113.7']) statuses.push(await check(from));
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect(await check('203.0.113.8')).toBe(200);
  });
});
