// The options' one schema: it names the option that is wrong and what it must be, so Strapi's boot error and the
// Settings page's refusal are actionable, and it bounds every number so that no option can stop the plugin.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { configProblems, defaults, NUMBER_BOUNDS, resolveConfig, validateConfig } from '../../server/src/config';
import { retryDelayMs } from '../../server/src/domain/delivery';
import { EDITABLE_SETTINGS, MAX_BULK_ACCOUNTS, settingBounds } from '../../shared/contracts';

/** `{ 'a.b': 1 }` as the nested object a config file would write. */
const nested = (path: string, value: unknown): Record<string, unknown> => {
  const [head, ...rest] = path.split('.');
  return { [head]: rest.length > 0 ? nested(rest.join('.'), value) : value };
};

describe('plugin config validation', () => {
  it('accepts the defaults and an empty config', () => {
    expect(() => validateConfig(defaults)).not.toThrow();
    expect(() => validateConfig({})).not.toThrow();
  });

  it('names each wrong option and says what it must be', () => {
    expect(configProblems({ codeTtlHours: { reset: 'one' }, roles: { owner: 'owner' }, rateLimit: { store: 'disk' } })).toEqual([
      'codeTtlHours.reset: must be a number of hours from 0.0834 to 24 (5 minutes to 24 hours)',
      'roles.owner: must be an array of role types (strings)',
      'rateLimit.store: must be one of memory, redis, database',
    ]);
  });

  it('says which item of a list is wrong', () => {
    expect(configProblems({ redirectUrls: ['https://good.example/', 'javascript:alert(1)'] })).toEqual([
      'redirectUrls: item 2 must use http or https',
    ]);
  });

  it('names a wrong Redis deadline or outage mode', () => {
    expect(configProblems({ rateLimit: { redisTimeoutMs: 0, whenStoreDown: 'wait' } })).toEqual([
      'rateLimit.redisTimeoutMs: must be a whole number from 10 to 10000',
      'rateLimit.whenStoreDown: must be one of memory, refuse',
    ]);
  });

  it('refuses a config that is not an object, and an option group that is not one', () => {
    expect(configProblems('yes')).toEqual(['config: must be an object']);
    expect(configProblems({ passwordPolicy: 12 })).toEqual(['passwordPolicy: must be an object']);
  });

  it('refuses a maximum below the default minimum length, even when only the maximum is given', () => {
    expect(() => validateConfig({ passwordPolicy: { maxBytes: 8 } })).toThrow(
      /minLength: must not be greater than passwordPolicy.maxBytes/,
    );
  });

  it('refuses unknown options by name, nested ones too, so a typo does not pass silently', () => {
    expect(() => validateConfig({ resetPageURL: 'https://example.test' })).toThrow(/resetPageURL: unknown option/);
    expect(configProblems({ passwordPolicy: { minLenght: 16 }, rateLimit: { forgotPerIp: { points: 5, window: 60 } } })).toEqual([
      'passwordPolicy.minLenght: unknown option',
      'rateLimit.forgotPerIp.window: unknown option',
    ]);
  });

  it('refuses a reset page URL with a query string (the token must ride in the fragment)', () => {
    expect(configProblems({ resetPageUrl: 'https://example.test/reset?x=1' })).toEqual([
      'resetPageUrl: must not contain a query string or a fragment',
    ]);
  });

  it('keeps an empty role list empty instead of merging the default back in', () => {
    expect(resolveConfig({ ...defaults, roles: { owner: [], privileged: ['staff'] } }).roles).toEqual({ owner: [], privileged: ['staff'] });
    expect(resolveConfig({ ...defaults, roles: {} as never }).roles).toEqual({ owner: ['owner'], privileged: ['administrator'] });
  });
});

describe('every number has bounds that keep the plugin working', () => {
  // The reported values first: a lifetime that breaks every reset email, one that mails dead links, and a
  // one-character password policy; then every numeric option past either end, and values that are no numbers.
  it.each<[string, unknown]>([
    ['codeTtlHours.reset', 1e12],
    ['codeTtlHours.reset', 1e-9],
    ['passwordPolicy.minLength', 1],
    ['codeTtlHours.reset', NaN],
    ['codeTtlHours.reset', Infinity],
    ['codeTtlHours.reset', -1],
    ['codeTtlHours.reset', 0],
    ['codeTtlHours.reset', 25],
    ['codeTtlHours.reset', '1'],
    ['codeTtlHours.activation', 0.5],
    ['codeTtlHours.activation', 721],
    ['codeTtlHours.activation', 1e12],
    ['passwordPolicy.minLength', 7],
    ['passwordPolicy.minLength', 12.5],
    ['passwordPolicy.minLength', 73],
    ['passwordPolicy.maxBytes', 200],
    ['passwordPolicy.maxBytes', 73],
    ['email.concurrency', 0],
    ['email.concurrency', 1.5],
    ['email.concurrency', 1e6],
    ['outbox.batchSize', 1e9],
    ['outbox.batchSize', 0],
    ['outbox.pollIntervalMs', 0],
    ['outbox.pollIntervalMs', 2 ** 31],
    ['outbox.leaseSeconds', 0],
    ['outbox.leaseSeconds', 1e9],
    ['outbox.attempts', 0],
    ['outbox.attempts', 1000],
    ['outbox.retryAfterSeconds', 0],
    ['outbox.retryAfterSeconds', 1e9],
    ['outbox.keepDays', 0],
    ['outbox.keepDays', 1e6],
    ['bulk.inlineLimit', 0],
    ['bulk.inlineLimit', MAX_BULK_ACCOUNTS + 1],
    ['bulk.skipRecentMinutes', -1],
    ['bulk.skipRecentMinutes', 1e9],
    ['audit.retentionDays', -1],
    ['audit.retentionDays', 1e7],
    ['rateLimit.forgotPerIp.points', 0],
    ['rateLimit.forgotPerIp.points', 1e12],
    ['rateLimit.resetPerIp.durationSeconds', 0],
    ['rateLimit.checkPerIp.durationSeconds', 1e9],
    ['rateLimit.forgotPerEmail.points', 2.5],
  ])('%s: %p is refused, naming the option and its range', (path, value) => {
    const problems = configProblems(nested(path, value));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^${path.replace(/\./g, '\\.')}: must be a (whole )?number( of \\w+)? from \\S+ to \\S+`));
  });

  it.each(Object.entries(NUMBER_BOUNDS))('%s accepts its least and its greatest value', (path, bounds) => {
    for (const value of [bounds.min, bounds.max]) {
      const config = nested(path, value);
      // The least maxBytes is below the default minLength: the rule across the two wants a minLength as small.
      if (path === 'passwordPolicy.maxBytes')
        Object.assign(config.passwordPolicy as object, { minLength: NUMBER_BOUNDS['passwordPolicy.minLength'].min });
      // The send deadline is at most a third of the lease: each is tried with the other at its most accommodating.
      if (path === 'outbox.leaseSeconds') Object.assign(config, { email: { sendTimeoutMs: NUMBER_BOUNDS['email.sendTimeoutMs'].min } });
      if (path === 'email.sendTimeoutMs') Object.assign(config, { outbox: { leaseSeconds: NUMBER_BOUNDS['outbox.leaseSeconds'].max } });
      expect(configProblems(config)).toEqual([]);
    }
  });

  it('the Settings page states the bounds the schema enforces (one definition, shared/contracts/settings.ts)', () => {
    for (const setting of EDITABLE_SETTINGS) {
      if (setting.type !== 'number') continue;
      expect(NUMBER_BOUNDS[setting.key]).toEqual(settingBounds(setting.key));
    }
  });

  it('the number a message names as the least or greatest value is itself accepted', () => {
    // 5 minutes is 0.08333… hours: the message rounds it up, so that an administrator who types it is not refused.
    const [problem] = configProblems({ codeTtlHours: { reset: 0 } });
    const [, least, greatest] = /from (\S+) to (\S+)/.exec(problem)!;
    expect(configProblems({ codeTtlHours: { reset: Number(least) } })).toEqual([]);
    expect(configProblems({ codeTtlHours: { reset: Number(greatest) } })).toEqual([]);
  });

  it('keeps every date computed from an option within every database (MySQL datetime ends in year 9999)', () => {
    const now = Date.now();
    const hour = 3_600_000;
    const latest = Math.max(
      now + NUMBER_BOUNDS['codeTtlHours.reset'].max * hour,
      now + NUMBER_BOUNDS['codeTtlHours.activation'].max * hour,
      now + NUMBER_BOUNDS['outbox.leaseSeconds'].max * 1000,
      now + retryDelayMs(NUMBER_BOUNDS['outbox.attempts'].max, NUMBER_BOUNDS['outbox.retryAfterSeconds'].max),
      now + NUMBER_BOUNDS['rateLimit.forgotPerEmail.durationSeconds'].max * 1000,
    );
    const earliest = Math.min(
      now - NUMBER_BOUNDS['outbox.keepDays'].max * 24 * hour,
      now - NUMBER_BOUNDS['audit.retentionDays'].max * 24 * hour,
      now - NUMBER_BOUNDS['bulk.skipRecentMinutes'].max * 60_000,
    );
    expect(new Date(latest).getUTCFullYear()).toBeLessThan(9999);
    expect(new Date(earliest).getUTCFullYear()).toBeGreaterThanOrEqual(1970);
    // Node's timers fire at once past 2^31 - 1 ms: the worker's poll and the lease's renewal stay below.
    expect(NUMBER_BOUNDS['outbox.pollIntervalMs'].max).toBeLessThan(2 ** 31);
    expect((NUMBER_BOUNDS['outbox.leaseSeconds'].max * 1000) / 3).toBeLessThan(2 ** 31);
  });
});

describe('the README configuration reference', () => {
  it('names every option the config defines', () => {
    const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
    const paths = (value: object, prefix = ''): string[] =>
      Object.entries(value).flatMap(([key, child]) => {
        const path = prefix ? `${prefix}.${key}` : key;
        const isLeaf =
          typeof child !== 'object' ||
          child === null ||
          Array.isArray(child) ||
          prefix === 'templates' ||
          ['forgotPerIp', 'forgotPerEmail', 'checkPerIp', 'resetPerIp'].includes(key);
        return isLeaf ? [path] : paths(child, path);
      });
    const missing = paths(defaults).filter((path) => !readme.includes(`| \`${path}\` |`));
    expect(missing).toEqual([]);
  });
});
