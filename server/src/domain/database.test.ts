import { isDatabaseUnavailable } from './database';

describe('isDatabaseUnavailable', () => {
  it('knows a database out of reach, whichever driver says so', () => {
    const withCode = (code: string) => Object.assign(new Error('x'), { code });
    for (const code of ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'PROTOCOL_CONNECTION_LOST', '57P01', '08006', 'SQLITE_BUSY']) {
      expect(isDatabaseUnavailable(withCode(code))).toBe(true);
    }
    expect(isDatabaseUnavailable(new Error('Knex: Timeout acquiring a connection. The pool is probably full.'))).toBe(true);
    expect(isDatabaseUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isDatabaseUnavailable(new Error('Client has encountered a connection error and is not queryable'))).toBe(true);
  });

  it('looks into the error a wrapper carries', () => {
    expect(isDatabaseUnavailable({ message: 'insert failed', cause: { code: 'ECONNREFUSED' } })).toBe(true);
    expect(isDatabaseUnavailable({ message: 'query failed', nativeError: { code: '57P01' } })).toBe(true);
  });

  it('does not take a wrong query, a constraint or anything else for an outage', () => {
    expect(isDatabaseUnavailable(Object.assign(new Error('duplicate key'), { code: '23505' }))).toBe(false);
    expect(isDatabaseUnavailable(Object.assign(new Error('no such table'), { code: 'SQLITE_ERROR' }))).toBe(false);
    expect(isDatabaseUnavailable(new Error('injected failure'))).toBe(false);
    expect(isDatabaseUnavailable(undefined)).toBe(false);
    expect(isDatabaseUnavailable('ECONNREFUSED')).toBe(false);
    const loop: Record<string, unknown> = { message: 'loop' };
    loop.cause = loop;
    expect(isDatabaseUnavailable(loop)).toBe(false);
  });
});
