import { classifyFailure, csvCell, csvLine, isTransient, retryDelayMs } from './delivery';
import { DeadlineError } from '../utils/concurrency';

describe('isTransient', () => {
  it('retries 4xx replies and network failures, not 5xx replies or other errors', () => {
    expect(isTransient({ responseCode: 421 })).toBe(true);
    expect(isTransient({ responseCode: 451, code: 'EMESSAGE' })).toBe(true);
    expect(isTransient({ code: 'ECONNREFUSED' })).toBe(true);
    expect(isTransient({ code: 'ETIMEDOUT' })).toBe(true);
    expect(isTransient({ responseCode: 550 })).toBe(false);
    expect(isTransient({ responseCode: 554, code: 'ECONNECTION' })).toBe(false);
    expect(isTransient(new Error('template error'))).toBe(false);
    expect(isTransient(undefined)).toBe(false);
  });
});

describe('classifyFailure', () => {
  it('tells a mail server that was not reached from one that answered, and the database from both', () => {
    expect(classifyFailure('email', { code: 'ECONNREFUSED' })).toBe('network');
    expect(classifyFailure('email', new DeadlineError('The mail server did not answer in time'))).toBe('timeout');
    expect(classifyFailure('email', { responseCode: 451, code: 'EMESSAGE' })).toBe('deferred');
    expect(classifyFailure('email', { responseCode: 550, code: 'EENVELOPE' })).toBe('rejected');
    expect(classifyFailure('email', new Error('template error'))).toBe('other');
    expect(classifyFailure('database', { code: 'ECONNREFUSED' })).toBe('database');
  });
});

describe('retryDelayMs', () => {
  it('doubles from the first delay and stops at an hour', () => {
    expect(retryDelayMs(1, 30)).toBe(30000);
    expect(retryDelayMs(2, 30)).toBe(60000);
    expect(retryDelayMs(3, 30)).toBe(120000);
    expect(retryDelayMs(20, 30)).toBe(3600000);
  });
});

describe('csv', () => {
  it('quotes what needs quoting and defuses formulas', () => {
    expect(csvCell('plain@example.test')).toBe('plain@example.test');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('-1')).toBe("'-1");
    expect(csvCell(null)).toBe('');
    expect(csvLine([1, 'sent', null])).toBe('1,sent,\r\n');
  });
});
