// When the mail server or the database fails: visitors see nothing different, administrators see which
// accounts failed and why, and no code is left live that its holder never received.
import { startPlayground, usePlayground, type Playground } from '../helpers/strapi';
import { dbKind } from '../helpers/database';
import { tokenFromLink } from '../helpers/smtp';
import { until } from '../helpers/wait';
import { createAccountsInBulk } from '../helpers/accounts';

const CODES = 'plugin::password-reset.code';
const live = { usedAt: { $null: true }, revokedAt: { $null: true } };

async function withPlayground(options: Parameters<typeof startPlayground>[0], story: (playground: Playground) => Promise<void>) {
  const playground = await startPlayground(options);
  try {
    await story(playground);
  } finally {
    await playground.close();
  }
}

async function bulkSend(playground: Playground, userIds: number[]) {
  const { token } = await playground.admins.loginSuperAdmin();
  return playground.http().post('/password-reset/codes').set('Authorization', `Bearer ${token}`).send({ userIds });
}

describe.each([
  // One try each: retries are the outbox's tests (outbox.test.ts).
  ['down', { env: { SMTP_PORT: '1' }, config: { outbox: { attempts: 1 } } }, /ECONNREFUSED|connect/i],
  ['answering 450', { smtp: { rejectWith: 450 }, config: { outbox: { attempts: 1 } } }, /450/],
  ['answering 550', { smtp: { rejectWith: 550 } }, /550/],
])('with the mail server %s', (_label, options, reason) => {
  it('a visitor gets the same answer, an administrator sees each account failed, and no code stays live', async () => {
    await withPlayground(options, async (playground) => {
      const { http, accounts, strapi, settle } = playground;
      const account = await accounts.create('activated');
      const res = await http().post('/api/password-reset/forgot-password').send({ email: account.email });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ ok: true });
      await settle();
      expect(await strapi.db.query(CODES).count({ where: { userId: account.id, ...live } })).toBe(0);

      const others = [await accounts.create('activated'), await accounts.create('not-activated')];
      const bulk = await bulkSend(
        playground,
        others.map((a) => a.id),
      );
      expect(bulk.status).toBe(200);
      expect(bulk.body.summary).toEqual({ sent: 0, skipped: 0, failed: 2, queued: 0 });
      for (const result of bulk.body.results) expect(result.reason).toMatch(reason);
      for (const other of others) expect(await strapi.db.query(CODES).count({ where: { userId: other.id, ...live } })).toBe(0);
    });
  }, 60000);
});

describe('with a mail server that takes 10 s per message', () => {
  it('a visitor still gets the answer at once, and the email still arrives', async () => {
    await withPlayground({ smtp: { delayMs: 10000 } }, async ({ http, accounts, smtp, settle }) => {
      const account = await accounts.create('activated');
      const started = Date.now();
      const res = await http().post('/api/password-reset/forgot-password').send({ email: account.email });
      expect(res.status).toBe(200);
      // Generous bound: the point is that the 10 s of the mail server are not in the response.
      expect(Date.now() - started).toBeLessThan(5000);
      expect(smtp.to(account.email)).toHaveLength(0);
      await settle();
      expect(smtp.to(account.email)).toHaveLength(1);
    });
  }, 60000);
});

const OUTBOX = 'plugin::password-reset.outbox-message';

/** The account's one live code is the one its last email carries (`/check` finds it valid). */
async function expectLiveCodeIsLastEmailed(playground: Playground, account: { id: number; email: string }) {
  const { strapi, http, smtp } = playground;
  expect(await strapi.db.query(CODES).count({ where: { userId: account.id, ...live } })).toBe(1);
  const last = smtp.to(account.email).at(-1);
  const check = await http()
    .post('/api/password-reset/check')
    .send({ token: tokenFromLink(last?.links[0] ?? '') });
  expect(check.body.valid).toBe(true);
}

// A mail server that takes a message and never answers: each send has a deadline (`email.sendTimeoutMs`). One
// playground for these stories; each makes the mail server hang, then brings it back.
describe('with a mail server that stops answering', () => {
  const shared = usePlayground({ config: { email: { sendTimeoutMs: 1000, concurrency: 2 }, outbox: { retryAfterSeconds: 1 } } });
  const HANG_MS = 120_000;
  const count = (where: Record<string, unknown>) => shared().strapi.db.query(OUTBOX).count({ where }) as Promise<number>;
  afterEach(() => {
    shared().smtp.behaviour.delayMs = undefined;
  });

  it('a visitor’s email waits no longer than the deadline and the retry delay, and carries a new code', async () => {
    const playground = shared();
    const { http, accounts, strapi, smtp } = playground;
    smtp.behaviour.delayMs = HANG_MS;
    const account = await accounts.create('activated');
    const asked = Date.now();
    expect((await http().post('/api/password-reset/forgot-password').send({ email: account.email })).status).toBe(200);
    const request = () => strapi.db.query(OUTBOX).findOne({ where: { kind: 'request', userId: account.id } });
    await until(async () => (await request())?.attempts === 1, 10000, 'the first attempt to end');
    expect(await request()).toMatchObject({ state: 'queued', failure: null });
    // The code of the email that got no answer is revoked: its holder may never see it.
    expect(await strapi.db.query(CODES).count({ where: { userId: account.id } })).toBe(1);
    expect(await strapi.db.query(CODES).count({ where: { userId: account.id, ...live } })).toBe(0);

    smtp.behaviour.delayMs = undefined; // the mail server is back (the first message stays unanswered)
    await smtp.waitFor(account.email, 1, 15000);
    // Deadline 1 s, retry after 1 s, polled every 1 s: well under what the transport's own timeout would take.
    expect(Date.now() - asked).toBeLessThan(8000);
    await expectLiveCodeIsLastEmailed(playground, account);
  }, 60000);

  it('an administrator’s send stops after one deadline: the emails not started go back to the queue untried', async () => {
    const playground = shared();
    const { strapi, smtp } = playground;
    smtp.behaviour.delayMs = HANG_MS;
    const users = await Promise.all(Array.from({ length: 20 }, () => playground.accounts.create('activated')));
    const ids = users.map((user) => user.id);
    const started = Date.now();
    const bulk = await bulkSend(playground, ids);
    expect(bulk.status).toBe(200);
    // Two at a time, twenty would have waited ten deadlines one after the other.
    expect(Date.now() - started).toBeLessThan(5000);
    expect(bulk.body.summary).toEqual({ sent: 0, skipped: 0, failed: 0, queued: 20 });
    const rows: Array<{ attempts: number; state: string }> = await strapi.db.query(OUTBOX).findMany({ where: { userId: { $in: ids } } });
    expect(rows.filter((row) => row.attempts === 1)).toHaveLength(2);
    expect(rows.filter((row) => row.attempts === 0)).toHaveLength(18);
    expect(new Set(rows.map((row) => row.state))).toEqual(new Set(['queued']));
    expect(await strapi.db.query(CODES).count({ where: { userId: { $in: ids }, ...live } })).toBe(0);

    smtp.behaviour.delayMs = undefined;
    for (const user of users) await smtp.waitFor(user.email, 1, 20000);
    await playground.settle();
    for (const user of users) await expectLiveCodeIsLastEmailed(playground, user);
  }, 90000);

  // Last: it stops this playground's worker.
  it('a shut-down puts the emails not yet started back in the queue at once, for another instance', async () => {
    const playground = shared();
    const { accounts, strapi, smtp } = playground;
    strapi.config.set('plugin::password-reset.email.sendTimeoutMs', 5000);
    strapi.config.set('plugin::password-reset.email.concurrency', 1);
    await playground.settle();
    smtp.behaviour.delayMs = HANG_MS;
    const users = await Promise.all(Array.from({ length: 3 }, () => accounts.create('activated')));
    const ids = users.map((user) => user.id);
    // An administrator's send of three: one batch, claimed by the request, sent one at a time.
    const answered = bulkSend(playground, ids);
    const mine = (where: Record<string, unknown>) => count({ userId: { $in: ids }, ...where });
    await until(async () => (await mine({ state: 'sending' })) === 3, 4000, 'the three to be claimed');

    const stopping = strapi.plugin('password-reset').service('outbox').stop() as Promise<void>;
    // One email is with the mail server; the two waiting for their turn go back to the queue well before it
    // reaches its deadline, due at once and claimed by no one.
    await until(async () => (await mine({ state: 'queued', attempts: 0 })) === 2, 2000, 'the two waiting to be put back');
    expect(await mine({ state: 'sending' })).toBe(1);
    const released: Array<{ nextAttemptAt: string; leaseUntil: string | null }> = await strapi.db
      .query(OUTBOX)
      .findMany({ where: { userId: { $in: ids }, state: 'queued', attempts: 0 } });
    for (const row of released) {
      expect(row.leaseUntil).toBeNull();
      expect(new Date(row.nextAttemptAt).getTime()).toBeLessThanOrEqual(Date.now());
    }
    await stopping;
    // The one in flight ended at its deadline, as a temporary failure to retry.
    expect(await mine({ state: 'queued', attempts: 1 })).toBe(1);
    expect(await mine({ state: 'sending' })).toBe(0);
    expect((await answered).body.summary).toEqual({ sent: 0, skipped: 0, failed: 0, queued: 3 });
  }, 60000);
});

/** A trigger that makes the database refuse codes for one account: a real failure, in the database itself. */
async function refuseCodesFor(playground: Playground, userId: number) {
  const knex = playground.strapi.db.connection;
  const kind = dbKind();
  if (kind === 'postgres') {
    await knex.raw(
      `CREATE OR REPLACE FUNCTION refuse_code() RETURNS trigger AS $$ BEGIN IF NEW.user_id = ${userId} THEN RAISE EXCEPTION 'injected failure'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql`,
    );
    await knex.raw('CREATE TRIGGER refuse_code BEFORE INSERT ON password_reset_codes FOR EACH ROW EXECUTE FUNCTION refuse_code()');
  } else if (kind === 'mysql') {
    await knex.raw(
      `CREATE TRIGGER refuse_code BEFORE INSERT ON password_reset_codes FOR EACH ROW BEGIN IF NEW.user_id = ${userId} THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'injected failure'; END IF; END`,
    );
  } else {
    await knex.raw(
      `CREATE TRIGGER refuse_code BEFORE INSERT ON password_reset_codes WHEN NEW.user_id = ${userId} BEGIN SELECT RAISE(ABORT, 'injected failure'); END`,
    );
  }
}

describe('with the database refusing one account’s code in the middle of a bulk send', () => {
  it('fails that account alone, and leaves every other account fully done (code and email)', async () => {
    await withPlayground({ config: { outbox: { attempts: 1 } } }, async (playground) => {
      const { strapi, smtp, settle } = playground;
      // 600 accounts: a job of three batches; the database refuses the code of one account in the second.
      const users = await createAccountsInBulk(strapi, 600, 'bulk');
      const refused = users[350];
      await refuseCodesFor(playground, refused.id);

      const bulk = await bulkSend(
        playground,
        users.map((u) => u.id),
      );
      expect(bulk.status).toBe(202);
      await settle();
      const job = await strapi.plugin('password-reset').service('jobs').find(bulk.body.job.id);
      expect(job).toMatchObject({ state: 'done', counts: { sent: 599, failed: 1, failedBy: { database: 1 } } });
      for (const user of users) {
        const codes = await strapi.db.query(CODES).count({ where: { userId: user.id } });
        const mails = smtp.to(user.email).length;
        const expected = user.id === refused.id ? 0 : 1;
        expect({ user: user.id, codes, mails }).toEqual({ user: user.id, codes: expected, mails: expected });
      }
    });
  }, 120000);
});
