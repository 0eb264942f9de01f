// An administrator reads the audit log by names (the account's address, the administrator's or token's name),
// downloads it as CSV, and can rely on old rows being purged; an integrator receives the plugin's events as
// Strapi webhooks, naming the account and the actor and carrying no secret.
import { createServer, get, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { usePlayground } from '../helpers/strapi';
import { strongPassword } from '../helpers/accounts';
import { tokenFromLink } from '../helpers/smtp';
import { PURGE_TASK } from '../../server/src/services/audit';

const playground = usePlayground({ config: { audit: { retentionDays: 30 } } });
const AUDIT = 'plugin::password-reset.audit-event';
const SEND = 'plugin::password-reset.send-code';
const DAY_MS = 24 * 3600 * 1000;

let superToken: string;
beforeAll(async () => {
  superToken = (await playground().admins.loginSuperAdmin()).token;
});

const asAdmin = (token: string) => playground().admins.pluginRoutes(token);

/** Read a streamed response line by line, keeping only a count and the first lines. */
function readCsv(url: string, token: string) {
  return new Promise<{ status: number; headers: IncomingMessage['headers']; count: number; first: string[] }>((resolve, reject) => {
    // A connection of its own: one kept alive from an earlier download may be closed by the server (its
    // keep-alive timeout) just as it is reused, and the request then fails with ECONNRESET.
    get(url, { agent: false, headers: { Authorization: `Bearer ${token}` } }, (res) => {
      let rest = '';
      let count = 0;
      const first: string[] = [];
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        const lines = (rest + chunk).split('\r\n');
        rest = lines.pop() ?? '';
        count += lines.length;
        for (const line of lines) if (first.length < 3) first.push(line);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, count, first }));
      res.on('error', reject);
    }).on('error', reject);
  });
}

describe('the audit log, as an administrator reads it', () => {
  it('names the account (with its id to link to) and the administrator or API token that acted', async () => {
    const { accounts, admins, http, strapi } = playground();
    const account = await accounts.create('activated');
    expect((await asAdmin(superToken).post('/codes', { userIds: [account.id] })).status).toBe(200);
    const token = await admins.apiToken('full-access');
    const tokenName = (await strapi.db.query('admin::api-token').findOne({ where: { id: token.id } })).name;
    expect(
      (await http().post(`/api/password-reset/users/${account.id}/codes`).set('Authorization', `Bearer ${token.accessKey}`)).status,
    ).toBe(200);

    const res = await asAdmin(superToken).get(`/audit?userId=${account.id}&action=code.issued`);
    expect(res.status).toBe(200);
    expect(res.body.results).toHaveLength(2);
    const [byToken, byAdmin] = res.body.results;
    const named = { id: account.id, documentId: account.documentId, email: account.email, username: account.username };
    expect(byToken).toMatchObject({ actorType: 'api-token', actorId: String(token.id), actorName: tokenName, account: named });
    expect(byAdmin).toMatchObject({ actorType: 'admin', actorName: 'Super Admin', account: named });
  });

  it('filters by every action of the contract and refuses an unknown action or actor type with a 400', async () => {
    const unknown = await asAdmin(superToken).get('/audit?action=code.stolen');
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toMatch(/"action" must be one of code.issued/);
    expect((await asAdmin(superToken).get('/audit?actorType=robot')).status).toBe(400);
    expect((await asAdmin(superToken).get('/audit.csv?action[]=code.issued')).status).toBe(400);
    const account = await playground().accounts.create('activated');
    await asAdmin(superToken).put(`/users/${account.id}/password`, { password: strongPassword() });
    const set = await asAdmin(superToken).get(`/audit?action=password.set&userId=${account.id}`);
    expect(set.body.results.map((event: { action: string }) => event.action)).toEqual(['password.set']);
  });
});

describe('the CSV export of the audit log', () => {
  it('streams the filtered rows with names, newest first, every cell quoted and defused for every locale’s separator', async () => {
    const { accounts, strapi, baseUrl } = playground();
    const account = await accounts.create('activated');
    // A username a spreadsheet whose separator is `;` would split, and run its second part as a formula.
    await strapi.db
      .query('plugin::users-permissions.user')
      .update({ where: { id: account.id }, data: { username: 'bob;=HYPERLINK(A1);' } });
    await asAdmin(superToken).post('/codes', { userIds: [account.id] });
    await asAdmin(superToken).post('/codes', { userIds: [account.id] });

    const res = await asAdmin(superToken).get(`/audit.csv?userId=${account.id}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toMatch(/attachment; filename="password-reset-audit-\d{4}-\d{2}-\d{2}\.csv"/);
    const lines = res.text.trim().split('\r\n');
    expect(lines[0]).toBe(
      '"id","createdAt","action","accountId","accountEmail","accountUsername","actorType","actorId","actorName","ip","details"',
    );
    expect(lines.slice(1).map((line) => line.split('","')[2])).toEqual(['code.revoked', 'code.issued', 'code.issued']);
    expect(lines[1]).toContain(`,"${account.id}","${account.email}","bob;'=HYPERLINK(A1);","admin",`);
    expect(lines[1]).toContain(',"Super Admin",');
    for (const separator of [',', ';', '\t']) {
      for (const part of lines[1].split(separator)) expect(part.replace(/^"/, '')).not.toMatch(/^[=+\-@\t\r]/);
    }
    // The details as JSON, in one quoted cell (PostgreSQL's jsonb may order the keys its own way).
    const details = /,"(\{.*\})"$/.exec(lines[2])?.[1].replace(/""/g, '"');
    expect(JSON.parse(details ?? 'null')).toEqual({ purpose: 'activation', codeId: expect.any(Number) });

    // The same filters as the page: one action only.
    const used = await readCsv(`${baseUrl}/password-reset/audit.csv?userId=${account.id}&action=code.used`, superToken);
    expect(used.count).toBe(1);
  });

  it('exports 100,000 rows as a stream, in one download', async () => {
    const { accounts, strapi, baseUrl } = playground();
    const account = await accounts.create('activated');
    const table = strapi.db.metadata.get(AUDIT).tableName;
    const now = new Date();
    const rows = Array.from({ length: 100000 }, (_, index) => ({
      action: 'pin.checked',
      actor_type: 'admin',
      actor_id: '1',
      target_user_id: account.id,
      details: JSON.stringify({ match: index % 2 === 0, locked: false }),
      created_at: now,
      updated_at: now,
    }));
    // SQLite allows at most 500 rows in one multi-row INSERT.
    await strapi.db.connection.batchInsert(table, rows, 250);

    const res = await readCsv(`${baseUrl}/password-reset/audit.csv?action=pin.checked&userId=${account.id}`, superToken);
    expect(res.status).toBe(200);
    // Streamed: sent in chunks as rows are read, so its length is not known in advance.
    expect(res.headers['transfer-encoding']).toBe('chunked');
    expect(res.headers['content-length']).toBeUndefined();
    expect(res.count).toBe(100001);
    expect(res.first[1]).toContain(`,"pin.checked","${account.id}","${account.email}","${account.username}","admin","1","Super Admin","",`);
    await strapi.db.query(AUDIT).deleteMany({ where: { action: 'pin.checked', targetUserId: account.id } });
  }, 120000);

  it('is refused without the read-audit permission', async () => {
    const { token } = await playground().admins.loginAdminWith([SEND]);
    expect((await asAdmin(token).get('/audit.csv')).status).toBe(403);
  });
});

describe('retention of the audit log', () => {
  it('deletes rows older than audit.retentionDays in a daily Strapi cron task, and keeps the rest', async () => {
    const { accounts, strapi } = playground();
    const account = await accounts.create('activated');
    const events = strapi.db.query(AUDIT);
    const at = (days: number) => new Date(Date.now() - days * DAY_MS);
    const old = await events.create({ data: { action: 'code.issued', actorType: 'system', targetUserId: account.id } });
    const recent = await events.create({ data: { action: 'code.used', actorType: 'system', targetUserId: account.id } });
    const table = strapi.db.metadata.get(AUDIT).tableName;
    await strapi.db
      .connection(table)
      .where('id', old.id)
      .update({ created_at: at(31) });
    await strapi.db
      .connection(table)
      .where('id', recent.id)
      .update({ created_at: at(29) });

    const task = strapi.cron.jobs.find((job: { name: string | null }) => job.name === PURGE_TASK);
    expect(task).toBeDefined();
    // Daily: the next run is within a day.
    const next = task!.job.nextInvocation() as Date;
    expect(next.getTime() - Date.now()).toBeLessThanOrEqual(DAY_MS);
    expect(next.getTime()).toBeGreaterThan(Date.now());
    await task!.job.invoke();

    expect(await events.findOne({ where: { id: old.id } })).toBeNull();
    expect(await events.findOne({ where: { id: recent.id } })).toMatchObject({ action: 'code.used' });
  });
});

describe('Strapi webhooks', () => {
  let receiver: Server;
  let received: Array<{ headers: IncomingMessage['headers']; body: string }> = [];
  let receiverUrl: string;

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  });
  afterAll(() => new Promise((resolve) => receiver.close(resolve)));

  const waitForEvent = async (event: string, accountId: number) => {
    const deadline = Date.now() + 5000;
    for (;;) {
      const hit = received.find((r) => r.headers['x-strapi-event'] === event && JSON.parse(r.body).account?.id === accountId);
      if (hit) return { raw: hit.body, payload: JSON.parse(hit.body) };
      if (Date.now() > deadline) throw new Error(`No ${event} webhook for account ${accountId}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };

  it('lists the plugin’s events among the events a webhook may subscribe to', async () => {
    const store = playground().strapi.get('webhookStore');
    const allowed = store.listAllowedEvents().map((key: string) => store.getAllowedEvent(key));
    expect(allowed).toEqual(
      expect.arrayContaining(['password-reset.code.issued', 'password-reset.password.set', 'password-reset.restriction.refused']),
    );
  });

  it('posts each event a webhook subscribed to, naming the account and the actor, with no code nor password', async () => {
    const { http, accounts, admins, smtp } = playground();
    const created = await http()
      .post('/admin/webhooks')
      .set('Authorization', `Bearer ${superToken}`)
      .send({
        name: 'Accounts desk',
        url: receiverUrl,
        headers: {},
        events: ['password-reset.code.issued', 'password-reset.password.set', 'password-reset.restriction.refused'],
      });
    expect(created.status).toBe(201);
    received = [];

    const account = await accounts.create('activated');
    await asAdmin(superToken).post('/codes', { userIds: [account.id] });
    const issued = await waitForEvent('password-reset.code.issued', account.id);
    expect(issued.payload).toMatchObject({
      event: 'password-reset.code.issued',
      action: 'code.issued',
      account: { id: account.id, documentId: account.documentId, email: account.email, username: account.username },
      actor: { type: 'admin', id: expect.any(String), name: 'Super Admin' },
      details: { purpose: 'activation' },
    });
    const [message] = await smtp.waitFor(account.email);
    expect(issued.raw).not.toContain(tokenFromLink(message.links[0]));

    const password = strongPassword();
    await asAdmin(superToken).put(`/users/${account.id}/password`, { password });
    const set = await waitForEvent('password-reset.password.set', account.id);
    expect(set.payload.actor.name).toBe('Super Admin');
    expect(set.raw).not.toContain(password);
    expect(set.raw).not.toMatch(/\$2[aby]\$/);

    const owner = await accounts.create('owner');
    const restricted = await admins.loginAdminWith([SEND]);
    await asAdmin(restricted.token).post('/codes', { userIds: [owner.id] });
    const refused = await waitForEvent('password-reset.restriction.refused', owner.id);
    expect(refused.payload).toMatchObject({
      account: { id: owner.id, email: owner.email },
      actor: { type: 'admin', name: expect.stringMatching(/^Restricted /) },
      details: { reason: 'owner-requires-permission', attempted: 'send-code' },
    });

    // An event the webhook did not subscribe to is not posted: the code issued for the owner was never sent, and
    // revocations (the set-now revoked the code) are not among its events.
    await playground().strapi.plugin('password-reset').service('audit').flushWebhooks();
    expect(received.map((r) => r.headers['x-strapi-event'])).not.toContain('password-reset.code.revoked');
  });

  it('posts entry.update for a password this plugin sets, as for any write of an account, without the password', async () => {
    const { http, accounts, smtp, strapi } = playground();
    const created = await http()
      .post('/admin/webhooks')
      .set('Authorization', `Bearer ${superToken}`)
      .send({ name: 'User sync', url: receiverUrl, headers: {}, events: ['entry.update'] });
    expect(created.status).toBe(201);
    const entryUpdate = async (accountId: number) => {
      const deadline = Date.now() + 5000;
      for (;;) {
        const hit = received.find((r) => r.headers['x-strapi-event'] === 'entry.update' && JSON.parse(r.body).entry?.id === accountId);
        if (hit) return { raw: hit.body, payload: JSON.parse(hit.body) };
        if (Date.now() > deadline) throw new Error(`No entry.update webhook for account ${accountId}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    const updatedAt = async (id: number) =>
      new Date((await strapi.db.query('plugin::users-permissions.user').findOne({ where: { id } })).updatedAt).getTime();

    // A visitor's reset with the link of their email.
    const visitor = await accounts.create('activated');
    const before = await updatedAt(visitor.id);
    received = [];
    await http().post('/api/password-reset/forgot-password').send({ email: visitor.email }).expect(200);
    const [message] = await smtp.waitFor(visitor.email);
    const password = strongPassword();
    await http()
      .post('/api/password-reset/reset')
      .send({ token: tokenFromLink(message.links[0]), password, passwordConfirmation: password })
      .expect(200);
    const reset = await entryUpdate(visitor.id);
    expect(reset.payload).toMatchObject({
      event: 'entry.update',
      model: 'user',
      uid: 'plugin::users-permissions.user',
      entry: { id: visitor.id, documentId: visitor.documentId, email: visitor.email, role: { type: 'authenticated' } },
    });
    expect(reset.raw).not.toContain(password);
    expect(reset.raw).not.toMatch(/\$2[aby]\$/);
    expect(await updatedAt(visitor.id)).toBeGreaterThan(before);

    // An administrator's set-now.
    const account = await accounts.create('activated');
    await asAdmin(superToken).put(`/users/${account.id}/password`, { password: strongPassword() });
    expect((await entryUpdate(account.id)).payload.entry).toMatchObject({ id: account.id, email: account.email });
  });

  it('refuses a webhook for an event that does not exist', async () => {
    const res = await playground()
      .http()
      .post('/admin/webhooks')
      .set('Authorization', `Bearer ${superToken}`)
      .send({ name: 'Typo', url: receiverUrl, headers: {}, events: ['password-reset.code.stolen'] });
    expect(res.status).toBe(400);
  });
});
