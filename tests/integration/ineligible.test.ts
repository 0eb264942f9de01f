// Accounts that must not reset themselves, and addresses with no account: the visitor sees exactly the same
// answer as for an eligible account, and no code exists.
import { usePlayground } from '../helpers/strapi';
import type { AccountKind } from '../helpers/accounts';

const playground = usePlayground({ smtp: { delayMs: 300 } });
const CODES = 'plugin::password-reset.code';

/** What a visitor can observe of a response: status, body, and every header but Date. */
const observable = (res: { status: number; text: string; headers: Record<string, string> }) => {
  const headers = { ...res.headers };
  delete headers.date;
  return { status: res.status, body: res.text, headers };
};

const ask = (email: string) => playground().http().post('/api/password-reset/forgot-password').send({ email });

describe('the answer to a link request does not tell whether or what kind of account an address has', () => {
  it('is byte-for-byte the same for eligible, ineligible and unknown addresses', async () => {
    const { accounts } = playground();
    const kinds: AccountKind[] = ['activated', 'not-activated', 'expired', 'blocked', 'privileged', 'owner'];
    const emails = [...(await Promise.all(kinds.map((kind) => accounts.create(kind)))).map((a) => a.email), 'nobody@example.test'];
    const answers = [];
    for (const email of emails) answers.push(observable(await ask(email)));
    for (const answer of answers) expect(answer).toEqual(answers[0]);
    expect(answers[0].status).toBe(200);
    expect(JSON.parse(answers[0].body)).toEqual({ ok: true });
    await playground().settle();
  });

  it('is sent before the account is looked up and mailed: the email arrives after the response', async () => {
    const { smtp, accounts, settle } = playground();
    const account = await accounts.create('activated');
    const res = await ask(account.email);
    expect(res.status).toBe(200);
    // The SMTP server takes 300 ms per message; the response did not wait for it.
    expect(smtp.to(account.email)).toHaveLength(0);
    await settle();
    expect(smtp.to(account.email)).toHaveLength(1);
  });
});

describe.each<[AccountKind, string]>([
  ['not-activated', 'not-activated'],
  ['expired', 'expired'],
  ['blocked', 'blocked'],
  ['privileged', 'privileged'],
  ['owner', 'owner'],
])('an account that is %s', (kind, reason) => {
  it('gets no code, and an email saying an administrator must reset it, without saying why', async () => {
    const { strapi, smtp, accounts, settle } = playground();
    const account = await accounts.create(kind);
    await ask(account.email);
    await settle();
    expect(await strapi.db.query(CODES).count({ where: { userId: account.id } })).toBe(0);
    const [notice] = smtp.to(account.email);
    expect(notice.subject).toBe('About your Playground password reset request');
    expect(notice.text).toMatch(/cannot be reset by email\. Please contact the site administrators/);
    expect(notice.links).toEqual([]);
    expect(notice.text.split(account.email).join('')).not.toMatch(new RegExp(`${kind}|privileged|owner|expired|blocked|activated`, 'i'));
    const audit = await strapi.db
      .query('plugin::password-reset.audit-event')
      .findOne({ where: { targetUserId: account.id, action: 'request.ineligible' } });
    expect(audit).toMatchObject({ actorType: 'visitor', details: { reason } });
  });
});

describe('with notifyIneligible turned off', () => {
  it('sends nothing to an ineligible account', async () => {
    const { strapi, smtp, accounts, settle } = playground();
    strapi.config.set('plugin::password-reset.notifyIneligible', false);
    try {
      const account = await accounts.create('owner');
      await ask(account.email);
      await settle();
      expect(smtp.to(account.email)).toEqual([]);
    } finally {
      strapi.config.set('plugin::password-reset.notifyIneligible', true);
    }
  });
});

describe('an address with no account', () => {
  it('gets no email at all', async () => {
    const { smtp, settle } = playground();
    await ask('Nobody-At-All@Example.test');
    await settle();
    expect(smtp.to('nobody-at-all@example.test')).toEqual([]);
  });
});
