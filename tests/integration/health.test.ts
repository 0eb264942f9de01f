// Delivery health: the outbox's waiting emails, their age, failures by error and the mail server's reachability,
// as JSON for the admin panel (read-audit) and for monitoring (API token), each seeing only the addresses of
// accounts it may manage.
import { usePlayground } from '../helpers/strapi';
import type { DeliveryHealth, RecentFailure } from '../../shared/contracts';

const playground = usePlayground({
  config: {
    outbox: { attempts: 2, retryAfterSeconds: 0.2, warnWaitingSeconds: 1 },
    email: { sendTimeoutMs: 1000 },
  },
});
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let superToken: string;
let apiToken: string;
beforeAll(async () => {
  superToken = (await playground().admins.loginSuperAdmin()).token;
  apiToken = (await playground().admins.apiToken('full-access')).accessKey;
});
afterEach(() => {
  playground().smtp.behaviour.rejectWith = undefined;
  playground().smtp.behaviour.delayMs = undefined;
});

async function healthAsAdmin(token = superToken): Promise<DeliveryHealth> {
  const res = await playground().admins.pluginRoutes(token).get('/health');
  expect(res.status).toBe(200);
  return res.body;
}
async function healthAsToken(): Promise<DeliveryHealth> {
  const res = await playground().http().get('/api/password-reset/health').set('Authorization', `Bearer ${apiToken}`);
  expect(res.status).toBe(200);
  return res.body;
}
const failureOf = (health: DeliveryHealth, userId: number): RecentFailure | undefined =>
  health.recentFailures.find((failure) => failure.userId === userId);

describe('who may read delivery health', () => {
  it('refuses an account holder’s JWT on both routes, a token not granted it, and an administrator without "Read the audit log"', async () => {
    const { http, accounts, admins } = playground();
    const account = await accounts.create('activated');
    const jwt = (await admins.loginAccount(account.email, account.password)).body.jwt as string;
    expect(jwt).toBeTruthy();
    expect([401, 403]).toContain((await http().get('/password-reset/health').set('Authorization', `Bearer ${jwt}`)).status);
    expect([401, 403]).toContain((await http().get('/api/password-reset/health').set('Authorization', `Bearer ${jwt}`)).status);
    expect([401, 403]).toContain((await http().get('/api/password-reset/health')).status);
    // A custom token reads it only when granted it, like every management route.
    const sendOnly = await admins.apiToken('custom', ['plugin::password-reset.management.sendCode']);
    expect((await http().get('/api/password-reset/health').set('Authorization', `Bearer ${sendOnly.accessKey}`)).status).toBe(403);
    const monitor = await admins.apiToken('custom', ['plugin::password-reset.management.health']);
    expect((await http().get('/api/password-reset/health').set('Authorization', `Bearer ${monitor.accessKey}`)).status).toBe(200);

    const sender = await admins.loginAdminWith(['plugin::password-reset.send-code', 'plugin::password-reset.manage-owners']);
    expect((await admins.pluginRoutes(sender.token).get('/health')).status).toBe(403);

    const reader = await admins.loginAdminWith(['plugin::password-reset.read-audit']);
    const health = await healthAsAdmin(reader.token);
    expect(health).toMatchObject({ status: 'ok', waiting: 0, sending: 0, oldestWaitingSeconds: null, warnings: [] });
    expect(health.failedLastDay).toEqual({ total: 0, byError: {} });
  });
});

describe('a mail server that refuses', () => {
  it('lists visitors’ failed emails with their error, and the address only to callers who may manage the account', async () => {
    const { http, accounts, admins, settle, smtp } = playground();
    const regular = await accounts.create('activated');
    // An owner asking for a link is sent the "ineligible" notice (notifyIneligible): a visitor's email all the same.
    const owner = await accounts.create('owner');
    smtp.behaviour.rejectWith = 550;
    for (const { email } of [regular, owner]) {
      expect((await http().post('/api/password-reset/forgot-password').send({ email })).status).toBe(200);
    }
    await settle();

    const health = await healthAsAdmin();
    expect(health.status).toBe('degraded');
    expect(health.warnings).toEqual(['emails-failed']);
    expect(health.failedLastDay.total).toBe(2);
    expect(health.failedLastDay.byError).toEqual({ rejected: 2 });
    expect(health.mailServer.unreachable).toBe(false);
    for (const account of [regular, owner]) {
      expect(failureOf(health, account.id)).toMatchObject({
        to: account.email,
        kind: 'request',
        error: 'rejected',
        final: true,
        state: 'failed',
      });
      expect(failureOf(health, account.id)?.reason).toMatch(/550/);
    }

    // An API token never manages an owner: it sees the failure, not the owner's address.
    const asToken = await healthAsToken();
    expect(failureOf(asToken, regular.id)?.to).toBe(regular.email);
    expect(failureOf(asToken, owner.id)).toMatchObject({ to: null, error: 'rejected', final: true });
    expect(JSON.stringify(asToken)).not.toContain(owner.email);

    // Nor does an administrator without "Manage owner accounts".
    const reader = await admins.loginAdminWith(['plugin::password-reset.read-audit']);
    const asReader = await healthAsAdmin(reader.token);
    expect(failureOf(asReader, regular.id)?.to).toBe(regular.email);
    expect(failureOf(asReader, owner.id)?.to).toBeNull();
  });
});

describe('emails that wait, and a mail server that does not answer', () => {
  it('counts waiting emails and their age, warns past the threshold, and says "down" until the mail server answers again', async () => {
    const { http, accounts, settle, smtp, strapi } = playground();
    const outbox = strapi.plugin('password-reset').service('outbox');
    const account = await accounts.create('activated');
    await outbox.stop();
    try {
      await http().post('/api/password-reset/forgot-password').send({ email: account.email });
      const first = await healthAsToken();
      expect(first.waiting).toBe(1);
      expect(first.oldestWaitingSeconds).toBeGreaterThanOrEqual(0);
      expect(first.warnings).not.toContain('emails-waiting-too-long');

      await sleep(2200);
      const later = await healthAsToken();
      expect(later.oldestWaitingSeconds).toBeGreaterThanOrEqual(2);
      expect(later.warnings).toContain('emails-waiting-too-long');
      expect(later.status).toBe('degraded');

      // The mail server takes longer than email.sendTimeoutMs: a temporary failure, retried later.
      smtp.behaviour.delayMs = 3000;
      await settle();
      const down = await healthAsAdmin();
      expect(down.status).toBe('down');
      expect(down.warnings).toContain('mail-server-unreachable');
      expect(down.mailServer.unreachable).toBe(true);
      expect(down.mailServer.lastFailureAt).not.toBeNull();
      expect(failureOf(down, account.id)).toMatchObject({
        to: account.email,
        error: 'timeout',
        final: false,
        state: 'queued',
        attempts: 1,
      });
      expect(down.waiting).toBe(1);

      // It answers again: the retry is sent and the warning goes.
      smtp.behaviour.delayMs = undefined;
      await sleep(500);
      await settle();
      await smtp.waitFor(account.email, 1, 10000);
      const up = await healthAsAdmin();
      expect(up.mailServer.unreachable).toBe(false);
      expect(up.warnings).not.toContain('mail-server-unreachable');
      expect(up.warnings).not.toContain('emails-waiting-too-long');
      expect(up.waiting).toBe(0);
      expect(up.mailServer.lastSuccessAt).not.toBeNull();
      expect(failureOf(up, account.id)).toBeUndefined();
    } finally {
      outbox.start();
    }
  }, 60000);
});
