// Outages of the mail server and of the database, through TCP fault proxies, on PostgreSQL whatever DB says (the
// campaign of issue 28 ran there): delivery resumes by itself once the service is back, nothing a visitor was told
// is stored is lost, a visitor sees a 503 with Retry-After rather than a 500, and an account gets a second email
// only for a message the mail server already had. One playground for both stories.
import { startPlayground, type Playground } from '../helpers/strapi';
import { createFreshDatabase } from '../helpers/database';
import { startFaultProxy, type FaultProxy } from '../helpers/fault-proxy';
import { startSmtpCapture, tokenFromLink, type SmtpCapture } from '../helpers/smtp';
import { hashToken } from '../../server/src/services/codes';
import { createAccountsInBulk } from '../helpers/accounts';
import { until } from '../helpers/wait';

const CODES = 'plugin::password-reset.code';
const OUTBOX = 'plugin::password-reset.outbox-message';
const CONCURRENCY = 4;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let playground: Playground;
let smtp: SmtpCapture;
let mailProxy: FaultProxy;
let dbProxy: FaultProxy;

beforeAll(async () => {
  smtp = await startSmtpCapture();
  mailProxy = await startFaultProxy({ host: '127.0.0.1', port: smtp.port });
  dbProxy = await startFaultProxy({ host: '127.0.0.1', port: 5432 });
  const database = await createFreshDatabase('postgres');
  playground = await startPlayground({
    // Strapi reaches PostgreSQL through the proxy; the schema was made straight.
    database: { env: { ...database.env, DATABASE_PORT: String(dbProxy.port) }, drop: database.drop },
    config: {
      email: { concurrency: CONCURRENCY, sendTimeoutMs: 3000 },
      outbox: { retryAfterSeconds: 1, attempts: 10, pollIntervalMs: 500, leaseSeconds: 60 },
    },
    // The README's setup for bulk sending ("Sending in bulk"): a pool as wide as `email.concurrency`, Nagle off.
    env: { SMTP_PORT: String(mailProxy.port), SMTP_POOL: 'true', SMTP_MAX_CONNECTIONS: String(CONCURRENCY), SMTP_NO_DELAY: 'true' },
  });
}, 180000);

afterAll(async () => {
  await dbProxy?.set('pass');
  await playground?.close();
  await Promise.allSettled([mailProxy?.close(), dbProxy?.close(), smtp?.close()]);
}, 60000);

/** Each account has one live code, and it is the one in the last email it received. */
async function expectOneLiveCodeInLastEmail(accounts: Array<{ id: number; email: string }>) {
  const live: Array<{ userId: number; tokenHash: string }> = await playground.strapi.db.query(CODES).findMany({
    select: ['userId', 'tokenHash'],
    where: { userId: { $in: accounts.map((a) => a.id) }, usedAt: { $null: true }, revokedAt: { $null: true } },
  });
  const wrong = accounts.filter((account) => {
    const mine = live.filter((code) => code.userId === account.id);
    const last = smtp.to(account.email).at(-1);
    return mine.length !== 1 || !last || mine[0].tokenHash !== hashToken(tokenFromLink(last.links[0] ?? ''));
  });
  expect(wrong).toEqual([]);
}

describe('with the mail server refusing connections for a while (pooled transport, Nagle off)', () => {
  it('sends every visitor’s email once it is back, without a restart', async () => {
    const { http, strapi } = playground;
    const accounts = await createAccountsInBulk(playground.strapi, 12, 'smtp');
    await mailProxy.set('refuse');
    for (const account of accounts) {
      expect((await http().post('/api/password-reset/forgot-password').send({ email: account.email })).status).toBe(200);
    }
    // Every email failed at least once: more refusals than the pool has connections, which used to leave every
    // slot of nodemailer's pool dead.
    const ids = accounts.map((a) => a.id);
    await until(
      async () => (await strapi.db.query(OUTBOX).count({ where: { userId: { $in: ids }, attempts: { $gte: 1 } } })) === accounts.length,
      30000,
      'every email to fail once',
    );
    expect(smtp.messages.filter((m) => accounts.some((a) => a.email === m.to))).toHaveLength(0);
    await sleep(2000);

    await mailProxy.set('pass');
    for (const account of accounts) await smtp.waitFor(account.email, 1, 60000);
    await expectOneLiveCodeInLastEmail(accounts);
  }, 150000);
});

describe('with PostgreSQL cut off and refusing connections during a job and visitors’ requests', () => {
  it('loses nothing, sends again only what was in flight, and answers visitors 200 or 503, never 500', async () => {
    const { http, strapi, admins } = playground;
    const jobAccounts = await createAccountsInBulk(playground.strapi, 300, 'job');
    const visitors = await createAccountsInBulk(playground.strapi, 20, 'visitor');
    const { token } = await admins.loginSuperAdmin();
    // Slow enough that the job is still being sent when the database goes.
    smtp.behaviour.delayMs = 40;
    const job = await http()
      .post('/password-reset/codes')
      .set('Authorization', `Bearer ${token}`)
      .send({ userIds: jobAccounts.map((a) => a.id) });
    expect(job.status).toBe(202);
    const jobEmails = new Set(jobAccounts.map((a) => a.email));
    const receivedForJob = () => smtp.messages.filter((m) => jobEmails.has(m.to)).length;
    await until(async () => receivedForJob() >= 40, 60000, 'the job to be under way');

    // The outage: every connection cut, new ones refused.
    await dbProxy.set('refuse');
    const answers: Array<{ email: string; route: string; status: number; retryAfter?: string }> = [];
    const ask = async (route: string, body: Record<string, string>, email = '') => {
      const res = await http().post(route).send(body);
      answers.push({ email, route, status: res.status, retryAfter: res.headers['retry-after'] });
    };
    for (const visitor of visitors) {
      await ask('/api/password-reset/forgot-password', { email: visitor.email }, visitor.email);
      await ask('/api/password-reset/forgot-password', { email: `nobody-${visitor.id}@example.test` });
    }
    await ask('/api/auth/forgot-password', { email: visitors[0].email }, visitors[0].email);
    await ask('/api/password-reset/check', { token: 'a'.repeat(43) });
    await ask('/api/password-reset/reset', { token: 'a'.repeat(43), password: 'Correct-Horse-9', passwordConfirmation: 'Correct-Horse-9' });
    await sleep(3000);
    const sentDuringOutage = receivedForJob();
    await dbProxy.set('pass');

    // A visitor sees 200 or a 503 that says when to try again; never a 500.
    expect(answers.filter((a) => a.status !== 200 && !(a.status === 503 && a.retryAfter))).toEqual([]);
    expect(answers.filter((a) => a.status === 503).length).toBeGreaterThan(0);
    // Those told to try again do so.
    for (const visitor of visitors) {
      if (answers.some((a) => a.email === visitor.email && a.status === 200)) continue;
      expect((await http().post('/api/password-reset/forgot-password').send({ email: visitor.email })).status).toBe(200);
    }

    // Delivery resumes: the job ends with every account sent.
    const jobs = strapi.plugin('password-reset').service('jobs');
    await until(async () => (await jobs.find(job.body.job.id))?.state === 'done', 120000, 'the job to finish');
    expect(receivedForJob()).toBeGreaterThan(sentDuringOutage);
    expect((await jobs.find(job.body.job.id)).counts).toMatchObject({ sent: jobAccounts.length, failed: 0 });
    for (const visitor of visitors) await smtp.waitFor(visitor.email, 1, 60000);
    await playground.settle();

    // A second email only for a message that was with the mail server when the database went.
    const twice = jobAccounts.filter((a) => smtp.to(a.email).length > 1);
    expect(twice.length).toBeLessThanOrEqual(CONCURRENCY);
    for (const account of jobAccounts) expect(smtp.to(account.email).length).toBeGreaterThanOrEqual(1);
    await expectOneLiveCodeInLastEmail([...jobAccounts, ...visitors]);
  }, 300000);
});
