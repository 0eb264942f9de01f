// A site visitor who forgot their password: asks for a link, follows it, chooses a new password.
import { createHash } from 'node:crypto';
import { usePlayground } from '../helpers/strapi';
import { tokenFromLink } from '../helpers/smtp';
import { strongPassword, type TestAccount } from '../helpers/accounts';

const playground = usePlayground();
const CODES = 'plugin::password-reset.code';

async function requestLink(email: string, mailbox = email.trim()) {
  const { http, smtp, settle } = playground();
  const before = smtp.to(mailbox).length;
  const res = await http().post('/api/password-reset/forgot-password').send({ email });
  expect(res.status).toBe(200);
  expect(res.body).toEqual({ ok: true });
  await settle();
  const messages = await smtp.waitFor(mailbox, before + 1);
  const message = messages[messages.length - 1];
  return { message, token: tokenFromLink(message.links[0]) };
}

async function reset(token: string, password: string, confirmation = password) {
  return playground().http().post('/api/password-reset/reset').send({ token, password, passwordConfirmation: confirmation });
}

async function canLogIn(account: TestAccount, password: string) {
  const res = await playground().admins.loginAccount(account.email, password);
  return res.status === 200;
}

describe('a visitor with an activated account who forgot their password', () => {
  let account: TestAccount;
  beforeAll(async () => {
    account = await playground().accounts.create('activated');
  });

  it('gets an email with the site name, a link, when it expires, and that it can be ignored', async () => {
    const { message } = await requestLink(`  ${account.email.toUpperCase()} `, account.email);
    expect(message.subject).toBe('Reset your Playground password');
    expect(message.links).toHaveLength(1);
    expect(message.links[0]).toMatch(new RegExp(`^${playground().baseUrl}/password-reset/reset#token=[A-Za-z0-9_-]{43}$`));
    expect(message.text).toMatch(/Playground/);
    expect(message.text).toMatch(/expires in 1 hour, on \d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2} UTC/);
    expect(message.text).toMatch(/If you did not ask for this, ignore this email: your password stays as it is/);
    expect(message.html).toContain(message.links[0].replace(/&/g, '&amp;'));
    expect(message.html).toMatch(/expires in 1 hour, on .* UTC/);
  });

  it('gets a link built from the configured URL, whatever Host header the request carried', async () => {
    const { http, smtp, settle, baseUrl } = playground();
    await http()
      .post('/api/password-reset/forgot-password')
      .set('Host', 'evil.example')
      .set('X-Forwarded-Host', 'evil.example')
      .send({ email: account.email });
    await settle();
    const messages = await smtp.waitFor(account.email);
    expect(messages[messages.length - 1].links[0].startsWith(`${baseUrl}/password-reset/reset#token=`)).toBe(true);
  });

  it('keeps their old password working until they choose a new one', async () => {
    await requestLink(account.email);
    expect(await canLogIn(account, account.password)).toBe(true);
  });

  it('stores the code only as its SHA-256 hash', async () => {
    const { strapi } = playground();
    const { token } = await requestLink(account.email);
    const row = await strapi.db.query(CODES).findOne({ where: { tokenHash: createHash('sha256').update(token).digest('hex') } });
    expect(row).toMatchObject({ userId: account.id, purpose: 'reset', usedAt: null, revokedAt: null });
    expect(JSON.stringify(await strapi.db.query(CODES).findMany({}))).not.toContain(token);
  });

  it('checks the link without using it up', async () => {
    const { token } = await requestLink(account.email);
    const check = async () => (await playground().http().post('/api/password-reset/check').send({ token })).body;
    const first = await check();
    expect(first).toMatchObject({ valid: true, purpose: 'reset' });
    expect(new Date(first.expiresAt).getTime() - Date.now()).toBeGreaterThan(59 * 60 * 1000);
    expect(await check()).toEqual(first);
  });

  it('is told every rule a weak password breaks, and the link still works afterwards', async () => {
    const { token } = await requestLink(account.email);
    const res = await reset(token, 'password1');
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/at least 12 characters/);
    expect(res.body.error.message).toMatch(/commonly used password/);
    expect(res.body.error.details.errors.map((e: { rule: string }) => e.rule)).toEqual(['too-short', 'common']);
    const personal = await reset(token, `${account.username}-and-more`);
    expect(personal.body.error.details.errors.map((e: { rule: string }) => e.rule)).toEqual(['personal-info']);
    const tooLong = await reset(token, 'é'.repeat(40));
    expect(tooLong.body.error.details.errors.map((e: { rule: string }) => e.rule)).toEqual(['too-long']);
    expect((await playground().http().post('/api/password-reset/check').send({ token })).body.valid).toBe(true);
  });

  it('writes nothing when its password is refused: no audit row, no email queued, the code unused', async () => {
    const { strapi } = playground();
    const { token } = await requestLink(account.email);
    const stored = () =>
      Promise.all([
        strapi.db.query('plugin::password-reset.audit-event').count({ where: { targetUserId: account.id } }),
        strapi.db.query('plugin::password-reset.outbox-message').count({ where: { userId: account.id } }),
        strapi.db.query(CODES).findOne({ where: { tokenHash: createHash('sha256').update(token).digest('hex') } }),
      ]);
    const before = await stored();
    expect(before[2].usedAt).toBeNull();
    expect((await reset(token, 'password1')).status).toBe(400);
    expect(await stored()).toEqual(before);
    expect(await canLogIn(account, account.password)).toBe(true);
  });

  it('is refused when the two passwords differ, and nothing changes', async () => {
    const { token } = await requestLink(account.email);
    const res = await reset(token, strongPassword(), strongPassword());
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/do not match/);
    expect(await canLogIn(account, account.password)).toBe(true);
  });

  it('sets a new password: the new one logs in, the old one no longer does, and they are told by email', async () => {
    const { smtp } = playground();
    const { token } = await requestLink(account.email);
    const newPassword = strongPassword();
    const res = await reset(token, newPassword);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true });
    expect(res.body.jwt).toBeUndefined();
    expect(await canLogIn(account, newPassword)).toBe(true);
    expect(await canLogIn(account, account.password)).toBe(false);
    await playground().settle();
    const changed = (await smtp.waitFor(account.email)).find((m) => m.subject === 'Your Playground password was changed');
    expect(changed?.text).toMatch(/was changed on \d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2} UTC/);
    account.password = newPassword;
  });

  it('cannot use the same link twice', async () => {
    const { token } = await requestLink(account.email);
    const password = strongPassword();
    expect((await reset(token, password)).status).toBe(200);
    const again = await reset(token, strongPassword());
    expect(again.status).toBe(400);
    expect(again.body.error.message).toBe('This link is invalid or has expired. Ask for a new one.');
    expect(await canLogIn(account, password)).toBe(true);
    account.password = password;
  });
});

describe('codes die', () => {
  it('when a newer link is asked for', async () => {
    const account = await playground().accounts.create('activated');
    const first = await requestLink(account.email);
    const second = await requestLink(account.email);
    expect((await reset(first.token, strongPassword())).status).toBe(400);
    expect((await reset(second.token, strongPassword())).status).toBe(200);
  });

  it('when they expire, with the same answer as an unknown code', async () => {
    const { strapi } = playground();
    const account = await playground().accounts.create('activated');
    const { token } = await requestLink(account.email);
    await strapi.db.query(CODES).updateMany({ where: { userId: account.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await playground().http().post('/api/password-reset/check').send({ token })).body).toEqual({ valid: false });
    const expired = await reset(token, strongPassword());
    const unknown = await reset('A'.repeat(43), strongPassword());
    expect(expired.status).toBe(400);
    expect(expired.body).toEqual(unknown.body);
    const audited = await strapi.db
      .query('plugin::password-reset.audit-event')
      .count({ where: { targetUserId: account.id, action: 'code.expired' } });
    expect(audited).toBe(1);
    expect(await canLogIn(account, account.password)).toBe(true);
  });

  it('when the password changes by another path (users-permissions change-password)', async () => {
    const { http } = playground();
    const account = await playground().accounts.create('activated');
    const { token } = await requestLink(account.email);
    const login = await playground().admins.loginAccount(account.email, account.password);
    const newPassword = strongPassword();
    const change = await http()
      .post('/api/auth/change-password')
      .set('Authorization', `Bearer ${login.body.jwt}`)
      .send({ currentPassword: account.password, password: newPassword, passwordConfirmation: newPassword });
    expect(change.status).toBe(200);
    expect((await http().post('/api/password-reset/check').send({ token })).body).toEqual({ valid: false });
  });
});

describe('a reset ends the sessions opened with the old password', () => {
  it('refuses a JWT issued before the change', async () => {
    const { http } = playground();
    const account = await playground().accounts.create('activated');
    const { body } = await playground().admins.loginAccount(account.email, account.password);
    expect((await http().get('/api/users/me').set('Authorization', `Bearer ${body.jwt}`)).status).toBe(200);
    const { token } = await requestLink(account.email);
    expect((await reset(token, strongPassword())).status).toBe(200);
    expect((await http().get('/api/users/me').set('Authorization', `Bearer ${body.jwt}`)).status).toBe(401);
  });
});

describe('an activation code', () => {
  it('also activates a never-activated account', async () => {
    const { strapi, smtp, accounts } = playground();
    const account = await accounts.create('not-activated');
    await strapi
      .plugin('password-reset')
      .service('outbox')
      .enqueue([{ kind: 'code', template: 'activation', userId: account.id, actor: { type: 'system' } }]);
    const [message] = await smtp.waitFor(account.email);
    expect(message.subject).toBe('Set your Playground password');
    expect(message.text).toMatch(/expires in 72 hours/);
    const token = tokenFromLink(message.links[0]);
    expect((await playground().http().post('/api/password-reset/check').send({ token })).body).toMatchObject({
      valid: true,
      purpose: 'activation',
    });
    expect((await reset(token, strongPassword())).status).toBe(200);
    expect((await accounts.stored(account.id)).confirmed).toBe(true);
  });
});

describe('50 simultaneous redemptions of one code', () => {
  it('give exactly one success', async () => {
    const account = await playground().accounts.create('activated');
    const { token } = await requestLink(account.email);
    const passwords = Array.from({ length: 50 }, () => strongPassword());
    const results = await Promise.all(passwords.map((password) => reset(token, password)));
    const winners = results.map((res, i) => (res.status === 200 ? passwords[i] : null)).filter(Boolean) as string[];
    expect(winners).toHaveLength(1);
    expect(results.filter((res) => res.status === 400)).toHaveLength(49);
    expect(await canLogIn(account, winners[0])).toBe(true);
    const used = await playground()
      .strapi.db.query(CODES)
      .findMany({ where: { userId: account.id, usedAt: { $notNull: true } } });
    expect(used).toHaveLength(1);
  }, 60000);
});

describe('bad input to check and reset', () => {
  it.each([
    ['/api/password-reset/check', { token: { $ne: null } }],
    ['/api/password-reset/check', { token: 12 }],
    ['/api/password-reset/check', {}],
    ['/api/password-reset/reset', { token: 'A'.repeat(43), password: ['x'], passwordConfirmation: ['x'] }],
    ['/api/password-reset/reset', { token: null, password: 'x', passwordConfirmation: 'x' }],
    ['/api/password-reset/reset', { token: 'A'.repeat(43) }],
  ])('%s %j → 400', async (path, body) => {
    const res = await playground().http().post(path).send(body);
    expect(res.status).toBe(400);
    expect(res.body.error.name).toBe('ValidationError');
  });
});
