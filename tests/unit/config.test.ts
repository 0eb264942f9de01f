// The config validator names the option that is wrong, so Strapi's boot error is actionable.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaults, findConfigProblems, resolveConfig, validateConfig } from '../../server/src/config';

describe('plugin config validation', () => {
  it('accepts the defaults and an empty config', () => {
    expect(() => validateConfig(defaults)).not.toThrow();
    expect(() => validateConfig({})).not.toThrow();
  });

  it('names each wrong option and says what it must be', () => {
    expect(findConfigProblems({ codeTtlHours: { reset: 'one' }, roles: { owner: 'owner' }, rateLimit: { store: 'disk' } })).toEqual([
      'codeTtlHours.reset: must be a positive number',
      'roles.owner: must be an array of role types (strings)',
      'rateLimit.store: must be one of memory, redis, database',
    ]);
  });

  it('names a wrong Redis deadline or outage mode', () => {
    expect(findConfigProblems({ rateLimit: { redisTimeoutMs: 0, whenStoreDown: 'wait' } })).toEqual([
      'rateLimit.redisTimeoutMs: must be a positive whole number',
      'rateLimit.whenStoreDown: must be one of memory, refuse',
    ]);
  });

  it('refuses a maximum below the default minimum length, even when only the maximum is given', () => {
    expect(() => validateConfig({ passwordPolicy: { maxBytes: 8 } })).toThrow(
      /minLength: must not be greater than passwordPolicy.maxBytes/,
    );
  });

  it('refuses unknown options, so a typo does not pass silently', () => {
    expect(() => validateConfig({ resetPageURL: 'https://example.test' })).toThrow(/resetPageURL: unknown option/);
  });

  it('refuses a reset page URL with a query string (the token must ride in the fragment)', () => {
    expect(findConfigProblems({ resetPageUrl: 'https://example.test/reset?x=1' })).toEqual([
      'resetPageUrl: must not contain a query string or a fragment',
    ]);
  });

  it('keeps an empty role list empty instead of merging the default back in', () => {
    expect(resolveConfig({ ...defaults, roles: { owner: [], privileged: ['staff'] } }).roles).toEqual({ owner: [], privileged: ['staff'] });
    expect(resolveConfig({ ...defaults, roles: {} as never }).roles).toEqual({ owner: ['owner'], privileged: ['administrator'] });
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
