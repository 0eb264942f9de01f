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

/**
 * A CSV reader written from RFC 4180, independent of the writer: quoted fields with doubled quotes, any
 * separator, CRLF between records. What a spreadsheet does with the file.
 */
function readCsv(text: string, separator: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === separator) {
      record.push(field);
      field = '';
    } else if (char === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i++;
    } else field += char;
  }
  if (field !== '' || record.length > 0) records.push([...record, field]);
  return records;
}

const FORMULA = /^[=+\-@\t\r]/;
const SEPARATORS = [',', ';', '\t'];

/** Values an attacker could put in an address, a username or an audit detail. */
const HOSTILE = [
  'bob;=HYPERLINK(A1);',
  '=HYPERLINK("http://evil.test","x")',
  'a,+1',
  'a\t@SUM(A1)',
  'a,\t=1',
  'a\t\t=1',
  'line\r\n-2+3',
  'line\n=1',
  '"quoted";=1',
  ';;;@x',
  '-1',
  '+',
  '',
];

describe('csv', () => {
  it('quotes every cell, doubles quotes, and defuses a formula at the start', () => {
    expect(csvCell('plain@example.test')).toBe('"plain@example.test"');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('-1')).toBe(`"'-1"`);
    expect(csvCell(null)).toBe('""');
    expect(csvCell(42)).toBe('"42"');
    expect(csvLine([1, 'sent', null])).toBe('"1","sent",""\r\n');
  });

  it('defuses a formula after any separator or line break, for spreadsheets of every locale', () => {
    expect(csvCell('bob;=HYPERLINK(A1);')).toBe(`"bob;'=HYPERLINK(A1);"`);
    expect(csvCell('a,\t=1')).toBe(`"a,'\t'=1"`);
    expect(csvCell('line\n@x')).toBe(`"line\n'@x"`);
    expect(csvCell('a-b=c')).toBe('"a-b=c"');
  });

  it('reads back, with any separator, as the values written (apostrophes aside) and never as a formula', () => {
    const text = HOSTILE.map((value) => csvLine([value, 'next'])).join('');
    const records = readCsv(text, ',');
    expect(records).toHaveLength(HOSTILE.length);
    records.forEach(([cell, next], index) => {
      expect(next).toBe('next');
      // What was added is an apostrophe before each part that started like a formula; nothing else changed.
      expect(cell.replace(/'/g, '')).toBe(HOSTILE[index].replace(/'/g, ''));
      expect(cell).not.toMatch(FORMULA);
    });
    // A spreadsheet of a `;` or tab locale reads the whole line as one quoted field per cell, or, splitting
    // without quotes, as parts: none starts like a formula either way.
    for (const separator of SEPARATORS) {
      for (const [field] of readCsv(text, separator)) expect(field).not.toMatch(FORMULA);
      for (const line of text.split(/\r\n|\n|\r/)) {
        for (const part of line.split(separator)) expect(part.replace(/^"+/, '')).not.toMatch(FORMULA);
      }
    }
  });
});
