// When the mail server or the database fails: visitors see nothing different, administrators see which
// accounts failed and why, and no code is left live that its holder never received.
import { startPlayground, type Playground } from '../helpers/strapi';
import { dbKind } from '../helpers/database';

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
      const role = await strapi.db.query('plugin::users-permissions.role').findOne({ where: { type: 'authenticated' } });
      const stamp = Date.now();
      await strapi.db.query('plugin::users-permissions.user').createMany({
        data: Array.from({ length: 600 }, (_, i) => ({
          username: `bulk-${stamp}-${i}`,
          email: `bulk-${stamp}-${i}@example.test`,
          provider: 'local',
          confirmed: true,
          blocked: false,
          role: role.id,
        })),
      });
      const users: Array<{ id: number; email: string }> = await strapi.db
        .query('plugin::users-permissions.user')
        .findMany({ select: ['id', 'email'], where: { username: { $startsWith: `bulk-${stamp}-` } }, orderBy: { id: 'asc' } });
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
