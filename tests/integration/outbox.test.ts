// The outbox and bulk jobs: every email is first a row (never a secret), transient mail failures are retried
// with a new code, a send naming many accounts is a job with counts, pages, CSV and "retry failed", and the
// dry run says what the send will do, by the same rule.
import { createHash } from 'node:crypto';
import { usePlayground, type Playground } from '../helpers/strapi';
import { tokenFromLink } from '../helpers/smtp';
import { createAccountsInBulk, type TestAccount } from '../helpers/accounts';

const playground = usePlayground({
  // Batches of 10, so that a job of a few dozen accounts keeps both of the worker's lanes sending.
  config: {
    outbox: { attempts: 3, retryAfterSeconds: 0.2, batchSize: 10 },
    bulk: { inlineLimit: 20, skipRecentMinutes: 10 },
    email: { concurrency: 4 },
  },
});
const OUTBOX = 'plugin::password-reset.outbox-message';
const CODES = 'plugin::password-reset.code';
const USERS = 'plugin::users-permissions.user';
const SEND = 'plugin::password-reset.send-code';
const READ_ALL_JOBS = 'plugin::password-reset.read-all-jobs';
const live = { usedAt: { $null: true }, revokedAt: { $null: true } };
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

let adminToken: string;
beforeAll(async () => {
  adminToken = (await playground().admins.loginSuperAdmin()).token;
});
afterEach(() => {
  playground().smtp.behaviour.rejectWith = undefined;
  playground().smtp.behaviour.rejectTo = undefined;
});

const admin = {
  post: (path: string, body: object) =>
    playground().http().post(`/password-reset${path}`).set('Authorization', `Bearer ${adminToken}`).send(body),
  get: (path: string) => playground().http().get(`/password-reset${path}`).set('Authorization', `Bearer ${adminToken}`),
};

async function waitForJob(id: number, timeoutMs = 60000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await admin.get(`/jobs/${id}`);
    expect(res.status).toBe(200);
    if (res.body.state === 'done' || Date.now() > deadline) return res.body;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The account's live codes, and whether the one live code is the one in the last email it received. */
async function liveCodeMatchesLastEmail({ strapi, smtp }: Playground, email: string, userId: number) {
  const codes: Array<{ tokenHash: string }> = await strapi.db.query(CODES).findMany({ where: { userId, ...live } });
  const messages = smtp.to(email);
  const last = messages[messages.length - 1];
  return { live: codes.length, matches: Boolean(last) && codes[0]?.tokenHash === sha256(tokenFromLink(last.links[0])) };
}

describe('a visitor’s request', () => {
  it('is one outbox row, whatever the address, holding no secret; the address is cleared once handled', async () => {
    const { http, accounts, strapi, settle, smtp } = playground();
    const account: TestAccount = await accounts.create('activated');
    const before = await strapi.db.query(OUTBOX).count();
    for (const email of [account.email, `nobody-${Date.now()}@example.test`]) {
      expect((await http().post('/api/password-reset/forgot-password').send({ email })).body).toEqual({ ok: true });
    }
    expect(await strapi.db.query(OUTBOX).count()).toBe(before + 2);
    await settle();
    const [message] = await smtp.waitFor(account.email);
    const rows = await strapi.db.query(OUTBOX).findMany({ orderBy: { id: 'desc' }, limit: 2 });
    const token = tokenFromLink(message.links[0]);
    for (const row of rows) {
      expect(JSON.stringify(row)).not.toContain(token);
      expect(row.address).toBeNull();
    }
    expect(rows.map((row: { state: string }) => row.state).sort()).toEqual(['sent', 'skipped']);
    expect(await liveCodeMatchesLastEmail(playground(), account.email, account.id)).toEqual({ live: 1, matches: true });
  });

  it('is retried after a temporary refusal, with a new code; the refused attempt’s code is revoked', async () => {
    const { http, accounts, strapi, settle, smtp } = playground();
    const account = await accounts.create('activated');
    smtp.behaviour.rejectWith = 451;
    await http().post('/api/password-reset/forgot-password').send({ email: account.email });
    await settle();
    expect(smtp.to(account.email)).toHaveLength(0);
    expect(await strapi.db.query(CODES).count({ where: { userId: account.id, ...live } })).toBe(0);
    const [row] = await strapi.db.query(OUTBOX).findMany({ where: { userId: account.id }, orderBy: { id: 'desc' }, limit: 1 });
    expect(row).toMatchObject({ state: 'queued', attempts: 1, reason: expect.stringMatching(/451|Refused/) });

    smtp.behaviour.rejectWith = undefined;
    await new Promise((resolve) => setTimeout(resolve, 300));
    await settle();
    await smtp.waitFor(account.email);
    expect(await strapi.db.query(OUTBOX).findOne({ where: { id: row.id } })).toMatchObject({ state: 'sent', attempts: 2 });
    expect(await strapi.db.query(CODES).count({ where: { userId: account.id } })).toBe(2);
    expect(await liveCodeMatchesLastEmail(playground(), account.email, account.id)).toEqual({ live: 1, matches: true });
  });

  it('fails for good on a permanent refusal (5xx) at once, and after the last try on temporary ones', async () => {
    const { http, accounts, strapi, settle, smtp } = playground();
    const [permanent, temporary] = [await accounts.create('activated'), await accounts.create('activated')];
    smtp.behaviour.rejectWith = 550;
    await http().post('/api/password-reset/forgot-password').send({ email: permanent.email });
    await settle();
    expect(await strapi.db.query(OUTBOX).findOne({ where: { userId: permanent.id } })).toMatchObject({
      state: 'failed',
      attempts: 1,
      failure: 'email',
    });

    smtp.behaviour.rejectWith = 421;
    await http().post('/api/password-reset/forgot-password').send({ email: temporary.email });
    for (let i = 0; i < 3; i++) {
      await settle();
      await new Promise((resolve) => setTimeout(resolve, 450));
    }
    expect(await strapi.db.query(OUTBOX).findOne({ where: { userId: temporary.id } })).toMatchObject({ state: 'failed', attempts: 3 });
    for (const account of [permanent, temporary]) {
      expect(await strapi.db.query(CODES).count({ where: { userId: account.id, ...live } })).toBe(0);
    }
    const finalFailures = await strapi.db.query('plugin::password-reset.audit-event').findMany({
      where: { action: 'email.failed', targetUserId: temporary.id },
    });
    expect(finalFailures.map((event: { details: { final: boolean } }) => event.details.final)).toEqual([false, false, true]);
  });
});

describe('a bulk send above the inline limit', () => {
  it('keeps its claim while a slow mail server holds a batch past its lease: each account is mailed once', async () => {
    const { strapi, smtp } = playground();
    const users = await createAccountsInBulk(playground().strapi, 30, 'lease', { confirmed: false });
    // Batches of 10 sent one at a time at 400 ms each hold their rows for 4 s, past a lease of 3 s: without
    // renewal the other lane would claim them again and mail them twice.
    const saved = ['outbox.leaseSeconds', 'email.concurrency', 'email.sendTimeoutMs'].map((key) => [
      key,
      strapi.config.get(`plugin::password-reset.${key}`),
    ]);
    strapi.config.set('plugin::password-reset.outbox.leaseSeconds', 3);
    strapi.config.set('plugin::password-reset.email.concurrency', 1);
    // A send starts only while the claim will outlast its deadline (ARCHITECTURE.md, "Delivery").
    strapi.config.set('plugin::password-reset.email.sendTimeoutMs', 1000);
    smtp.behaviour.delayMs = 400;
    try {
      const started = await admin.post('/codes', { userIds: users.map((user) => user.id) });
      expect(started.status).toBe(202);
      const job = await waitForJob(started.body.job.id, 40000);
      expect(job.counts).toMatchObject({ total: 30, sent: 30, failed: 0 });
    } finally {
      smtp.behaviour.delayMs = undefined;
      for (const [key, value] of saved) strapi.config.set(`plugin::password-reset.${key}`, value);
    }
    expect(users.map((user) => smtp.to(user.email).length)).toEqual(users.map(() => 1));
  }, 60000);

  it('has at most email.concurrency emails in flight, whichever batch they belong to', async () => {
    const { smtp } = playground();
    const users = await createAccountsInBulk(playground().strapi, 48, 'limit', { confirmed: false });
    smtp.behaviour.delayMs = 60;
    smtp.clear();
    try {
      const started = await admin.post('/codes', { userIds: users.map((user) => user.id) });
      expect(started.status).toBe(202);
      const job = await waitForJob(started.body.job.id);
      expect(job.counts).toMatchObject({ total: 48, sent: 48 });
    } finally {
      smtp.behaviour.delayMs = undefined;
    }
    // Two lanes of batches of 10 each sent 4 at a time would have had 8 in flight.
    expect(smtp.maxInFlight).toBe(4);
  }, 60000);

  it('is a job: 202 at once, then counts, failures first with addresses, CSV, and retry of the failed', async () => {
    const { strapi, smtp, accounts } = playground();
    const users = await createAccountsInBulk(playground().strapi, 60, 'job', { confirmed: false });
    await strapi.db.query(USERS).update({ where: { id: users[0].id }, data: { blocked: true } });
    const refused = users[1];
    smtp.behaviour.rejectTo = (address) => address === refused.email;
    const owner = await accounts.create('owner');
    const userIds = [...users.map((user) => user.id), owner.id, 999999];

    const dry = await admin.post('/codes/dry-run', { userIds });
    expect(dry.status).toBe(200);
    expect(dry.body).toEqual({ total: 62, willSend: 60, skipped: 2, skippedBy: { blocked: 1, 'unknown-account': 1 } });

    const started = await admin.post('/codes', { userIds });
    expect(started.status).toBe(202);
    expect(started.body.job).toMatchObject({ state: expect.stringMatching(/planning|sending|done/), counts: { total: 62 } });
    const job = await waitForJob(started.body.job.id);
    expect(job.counts).toEqual({
      total: 62,
      planned: 62,
      queued: 0,
      sent: 59,
      skipped: 2,
      failed: 1,
      skippedBy: { blocked: 1, 'unknown-account': 1 },
      failedBy: { email: 1 },
    });
    expect(job.finishedAt).toEqual(expect.any(String));
    expect(smtp.to(users[2].email)).toHaveLength(1);
    expect(await liveCodeMatchesLastEmail(playground(), users[2].email, users[2].id)).toEqual({ live: 1, matches: true });

    const page = await admin.get(`/jobs/${job.id}/items?page=1&pageSize=5`);
    expect(page.body.pagination).toEqual({ page: 1, pageSize: 5, total: 62, pageCount: 13 });
    expect(page.body.results.map((item: { status: string }) => item.status)).toEqual(['failed', 'skipped', 'skipped', 'sent', 'sent']);
    expect(page.body.results[0]).toMatchObject({
      userId: refused.id,
      email: refused.email,
      failure: 'email',
      reason: expect.stringMatching(/550|Refused/),
    });
    expect(page.body.results[1]).toMatchObject({ userId: users[0].id, reason: 'blocked', message: 'The account is blocked.' });

    const csv = await admin.get(`/jobs/${job.id}/items.csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toBe('"userId","email","status","reason","message","attempts","updatedAt"');
    expect(lines).toHaveLength(63);
    expect(lines[1].startsWith(`"${refused.id}","${refused.email}","failed",`)).toBe(true);

    const listed = await admin.get('/jobs');
    expect(listed.body.results[0]).toMatchObject({ id: job.id, state: 'done', createdBy: expect.stringMatching(/^admin:/) });

    // Retry the failed: the mail server takes it now.
    smtp.behaviour.rejectTo = undefined;
    const retried = await admin.post(`/jobs/${job.id}/retry`, {});
    expect(retried.status).toBe(200);
    expect(retried.body.results).toEqual([{ userId: refused.id, email: refused.email, status: 'sent' }]);
    await smtp.waitFor(refused.email);
    expect(await liveCodeMatchesLastEmail(playground(), refused.email, refused.id)).toEqual({ live: 1, matches: true });
    expect((await admin.post(`/jobs/${job.id}/retry`, {})).status).toBe(200);
  }, 120000);

  it('skips accounts sent a code in the last minutes, in the dry run and the send alike', async () => {
    const users = await createAccountsInBulk(playground().strapi, 25, 'recent', { confirmed: false });
    const first = await admin.post('/codes', { userIds: users.slice(0, 5).map((user) => user.id) });
    expect(first.body.summary).toEqual({ sent: 5, skipped: 0, failed: 0, queued: 0 });
    const userIds = users.map((user) => user.id);
    const dry = await admin.post('/codes/dry-run', { userIds });
    expect(dry.body).toEqual({ total: 25, willSend: 20, skipped: 5, skippedBy: { 'recently-sent': 5 } });
    const job = await waitForJob((await admin.post('/codes', { userIds })).body.job.id);
    expect(job.counts).toMatchObject({ sent: 20, skipped: 5, skippedBy: { 'recently-sent': 5 } });
  }, 60000);

  it('answers 400 for bad input and 404 for an unknown job, and writes nothing', async () => {
    const { strapi } = playground();
    const before = await strapi.db.query(OUTBOX).count();
    expect((await admin.post('/codes/dry-run', { userIds: 'all' })).status).toBe(400);
    expect((await admin.post('/codes', { userIds: [1, 'x'] })).status).toBe(400);
    expect((await admin.get('/jobs/abc')).status).toBe(400);
    expect((await admin.get('/jobs/99999')).status).toBe(404);
    expect((await admin.get('/jobs/99999/items.csv')).status).toBe(404);
    expect((await admin.get('/jobs?pageSize=0')).status).toBe(400);
    expect(await strapi.db.query(OUTBOX).count()).toBe(before);
  });

  it('is refused to an administrator without "Send activation codes", and its results too', async () => {
    const { admins } = playground();
    const { token } = await admins.loginAdminWith(['plugin::password-reset.read-audit']);
    const as = (path: string) => playground().http().get(`/password-reset${path}`).set('Authorization', `Bearer ${token}`);
    expect((await as('/jobs')).status).toBe(403);
    expect((await as('/jobs/1/items.csv')).status).toBe(403);
  });
  it('is read by the administrator who started it, or with "Read all jobs": another’s job is a 404, and not listed', async () => {
    const { admins } = playground();
    const started = await admin.post('/codes', {
      userIds: (await createAccountsInBulk(playground().strapi, 25, 'scoped', { confirmed: false })).map((user) => user.id),
    });
    expect(started.status).toBe(202);
    const jobId = started.body.job.id;
    await waitForJob(jobId);
    const as = (token: string) => admins.pluginRoutes(token);

    const { token: restricted } = await admins.loginAdminWith([SEND]);
    for (const path of [`/jobs/${jobId}`, `/jobs/${jobId}/items`, `/jobs/${jobId}/items.csv`]) {
      const res = await as(restricted).get(path);
      expect(res.status).toBe(404);
      expect(res.text).not.toContain('@example.test');
    }
    expect((await as(restricted).post(`/jobs/${jobId}/retry`, {})).status).toBe(404);
    expect((await as(restricted).get('/jobs')).body).toMatchObject({ results: [], pagination: { total: 0 } });
    // Its own job it reads, and only that one is listed.
    const own = await as(restricted).post('/codes', {
      userIds: (await createAccountsInBulk(playground().strapi, 25, 'own', { confirmed: false })).map((user) => user.id),
    });
    expect((await as(restricted).get(`/jobs/${own.body.job.id}`)).status).toBe(200);
    expect((await as(restricted).get('/jobs')).body.results.map((job: { id: number }) => job.id)).toEqual([own.body.job.id]);

    const { token: reader } = await admins.loginAdminWith([SEND, READ_ALL_JOBS]);
    expect((await as(reader).get(`/jobs/${jobId}`)).status).toBe(200);
    expect((await as(reader).get(`/jobs/${jobId}/items`)).body.results).toHaveLength(25);
    const listed = (await as(reader).get('/jobs')).body.results.map((job: { id: number }) => job.id);
    expect(listed).toEqual(expect.arrayContaining([jobId, own.body.job.id]));
    await playground().settle();
  }, 60000);
});

describe('the management API', () => {
  it('runs a token’s bulk send as a job it can follow, owners and privileged accounts skipped by the rule', async () => {
    const { admins, accounts, http } = playground();
    const { accessKey } = await admins.apiToken('full-access');
    const users = await createAccountsInBulk(playground().strapi, 30, 'token', { confirmed: false });
    const owner = await accounts.create('owner');
    const privileged = await accounts.create('privileged');
    const userIds = [...users.map((user) => user.id), owner.id, privileged.id];
    const as = (req: ReturnType<ReturnType<typeof http>['get']>) => req.set('Authorization', `Bearer ${accessKey}`);

    const dry = await as(http().post('/api/password-reset/codes/dry-run')).send({ userIds });
    expect(dry.body).toEqual({ total: 32, willSend: 30, skipped: 2, skippedBy: { 'owner-account': 1, 'privileged-account': 1 } });
    const started = await as(http().post('/api/password-reset/codes')).send({ userIds });
    expect(started.status).toBe(202);
    await playground().settle();
    const job = await as(http().get(`/api/password-reset/jobs/${started.body.job.id}`));
    expect(job.body).toMatchObject({ state: 'done', createdBy: expect.stringMatching(/^api-token:/), counts: { sent: 30, skipped: 2 } });
    const items = await as(http().get(`/api/password-reset/jobs/${started.body.job.id}/items?pageSize=2`));
    expect(items.body.results.map((item: { reason: string }) => item.reason).sort()).toEqual(['owner-account', 'privileged-account']);
    // Accounts a token may not manage are named by id alone: in the items, their CSV and an inline send's results.
    for (const item of items.body.results) expect(item).toMatchObject({ email: null });
    const csv = await as(http().get(`/api/password-reset/jobs/${started.body.job.id}/items.csv`));
    expect(csv.text).not.toContain(owner.email);
    expect(csv.text).not.toContain(privileged.email);
    expect(csv.text).toContain(users[0].email);
    const inline = await as(http().post('/api/password-reset/codes')).send({ userIds: [users[0].id, owner.id, privileged.id] });
    expect(inline.status).toBe(200);
    expect(inline.body.results).toEqual([
      { userId: users[0].id, email: users[0].email, status: 'skipped', reason: 'recently-sent', message: expect.any(String) },
      { userId: owner.id, email: null, status: 'skipped', reason: 'owner-account', message: expect.any(String) },
      { userId: privileged.id, email: null, status: 'skipped', reason: 'privileged-account', message: expect.any(String) },
    ]);
    expect(JSON.stringify(inline.body)).not.toContain(owner.username);

    // Another token's job is a 404, as an id that does not exist: ids are not probed.
    const other = await admins.apiToken('full-access');
    for (const path of [`/jobs/${started.body.job.id}`, `/jobs/${started.body.job.id}/items`, `/jobs/${started.body.job.id}/items.csv`]) {
      const res = await http().get(`/api/password-reset${path}`).set('Authorization', `Bearer ${other.accessKey}`);
      expect(res.status).toBe(404);
      expect(res.text).not.toContain('@example.test');
    }

    // Not without a token: a users-permissions JWT or nothing at all gets 401.
    expect((await http().get(`/api/password-reset/jobs/${started.body.job.id}`)).status).toBe(401);
    const holder = await accounts.create('activated');
    const { body } = await admins.loginAccount(holder.email, holder.password);
    expect((await http().get(`/api/password-reset/jobs/${started.body.job.id}`).set('Authorization', `Bearer ${body.jwt}`)).status).toBe(
      401,
    );
  }, 60000);
});

describe('pruning', () => {
  it('deletes finished messages and jobs older than outbox.keepDays, and keeps the rest', async () => {
    const { strapi } = playground();
    const users = await createAccountsInBulk(playground().strapi, 25, 'prune', { confirmed: false });
    const job = await waitForJob((await admin.post('/codes', { userIds: users.map((user) => user.id) })).body.job.id);
    const old = new Date(Date.now() - 31 * 24 * 3600 * 1000);
    await strapi.db.query('plugin::password-reset.job').update({ where: { id: job.id }, data: { finishedAt: old } });
    const single = await strapi.db.query(OUTBOX).create({
      data: {
        kind: 'notice',
        template: 'passwordChanged',
        actor: { type: 'system' },
        state: 'sent',
        attempts: 1,
        nextAttemptAt: old,
        finishedAt: old,
      },
    });
    const queued = await strapi.db.query(OUTBOX).create({
      data: {
        kind: 'notice',
        template: 'passwordChanged',
        actor: { type: 'system' },
        state: 'failed',
        attempts: 1,
        nextAttemptAt: new Date(),
        finishedAt: new Date(),
      },
    });
    await strapi.plugin('password-reset').service('jobs').prune();
    expect(await strapi.db.query('plugin::password-reset.job').count({ where: { id: job.id } })).toBe(0);
    expect(await strapi.db.query(OUTBOX).count({ where: { jobId: job.id } })).toBe(0);
    expect(await strapi.db.query(OUTBOX).count({ where: { id: single.id } })).toBe(0);
    expect(await strapi.db.query(OUTBOX).count({ where: { id: queued.id } })).toBe(1);
  }, 60000);
});
