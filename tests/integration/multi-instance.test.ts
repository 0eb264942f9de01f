// Two Strapi instances on one PostgreSQL database, sharing Redis for rate limits — as a site behind a load
// balancer runs. Limits hold across both, and a code is redeemed at most once across both. Always on PostgreSQL,
// whatever DB the rest of the suite uses.
import request from 'supertest';
import { createFreshDatabase } from '../helpers/database';
import { startSmtpCapture, tokenFromLink, type SmtpCapture } from '../helpers/smtp';
import { spawnPlayground } from '../helpers/process';
import { freePort } from '../helpers/ports';
import { strongPassword } from '../helpers/accounts';

jest.setTimeout(180000);

let smtp: SmtpCapture;
let database: Awaited<ReturnType<typeof createFreshDatabase>>;
let instances: Array<Awaited<ReturnType<typeof spawnPlayground>>> = [];

beforeAll(async () => {
  smtp = await startSmtpCapture();
  database = await createFreshDatabase('postgres');
  const config = {
    rateLimit: {
      enabled: true,
      store: 'redis',
      // Sharing is the subject here, not outages: a deadline that a loaded test machine's pauses cannot reach.
      redisTimeoutMs: 5000,
      keyPrefix: `multi-${Date.now()}`,
      forgotPerEmail: { points: 2, durationSeconds: 60 },
      resetPerIp: { points: 100, durationSeconds: 60 },
    },
  };
  const env = { ...database.env, SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtp.port), PASSWORD_RESET_CONFIG: JSON.stringify(config) };
  // One after the other: the first creates the tables, the second finds them.
  for (let i = 0; i < 2; i++) {
    instances.push(await spawnPlayground({ ...env, PORT: String(await freePort()), PUBLIC_URL: '' }));
  }
});

afterAll(async () => {
  await Promise.all(instances.map((instance) => instance.stop()));
  instances = [];
  await database?.drop();
  await smtp?.close();
});

async function register(email: string, password: string) {
  const res = await request(instances[0].url)
    .post('/api/auth/local/register')
    .send({ username: email.split('@')[0], email, password });
  expect(res.status).toBe(200);
}

describe('two instances sharing PostgreSQL and Redis', () => {
  it('count link requests for one address together', async () => {
    const email = `shared-limit-${Date.now()}@example.test`;
    const [a, b] = instances.map((instance) => () => request(instance.url).post('/api/password-reset/forgot-password').send({ email }));
    expect((await a()).status).toBe(200);
    expect((await b()).status).toBe(200);
    expect((await a()).status).toBe(429);
    expect((await b()).status).toBe(429);
  });

  it('let a code be redeemed once, across both', async () => {
    const email = `shared-code-${Date.now()}@example.test`;
    await register(email, strongPassword());
    await request(instances[0].url).post('/api/password-reset/forgot-password').send({ email });
    const [message] = await smtp.waitFor(email, 1, 20000);
    const token = tokenFromLink(message.links[0]);
    const attempts = Array.from({ length: 20 }, (_, i) => {
      const password = strongPassword();
      return request(instances[i % 2].url)
        .post('/api/password-reset/reset')
        .send({ token, password, passwordConfirmation: password });
    });
    const statuses = (await Promise.all(attempts)).map((res) => res.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.filter((status) => status === 400)).toHaveLength(19);
  });

  it('stop on SIGTERM with exit code 0, the second still serving while the first stops', async () => {
    const [first, second] = instances;
    expect(await first.stop()).toBe(0);
    const email = `after-stop-${Date.now()}@example.test`;
    expect((await request(second.url).post('/api/password-reset/forgot-password').send({ email })).status).toBe(200);
    expect(await second.stop()).toBe(0);
  });
});
