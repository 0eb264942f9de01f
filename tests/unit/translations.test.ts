// Every string the admin screens show goes through react-intl, and English and French are both complete.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AUDIT_ACTIONS, DELIVERY_ERRORS, HEALTH_WARNINGS, REASONS, TEMPLATE_NAMES, TEMPLATE_PROBLEMS } from '../../shared/contracts';

const adminSrc = join(__dirname, '..', '..', 'admin', 'src');
const en = JSON.parse(readFileSync(join(adminSrc, 'translations', 'en.json'), 'utf8')) as Record<string, string>;
const fr = JSON.parse(readFileSync(join(adminSrc, 'translations', 'fr.json'), 'utf8')) as Record<string, string>;

const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(join(dir, entry.name)) : /\.tsx?$/.test(entry.name) ? [readFileSync(join(dir, entry.name), 'utf8')] : [],
  );

describe('admin translations', () => {
  it('French has exactly the keys English has, each translated', () => {
    expect(Object.keys(fr).sort()).toEqual(Object.keys(en).sort());
    for (const key of Object.keys(en)) expect(fr[key].length).toBeGreaterThan(0);
  });

  it('every key the admin code names exists in English', () => {
    const used = sources(adminSrc).flatMap((source) =>
      [...source.matchAll(/(?:getTranslation|\bt)\('([^'`$]+)'\)/g)].map((match) => match[1]),
    );
    expect(used.length).toBeGreaterThan(40);
    expect(used.filter((key) => !(key in en))).toEqual([]);
  });

  it('every audit action, refusal reason, policy rule, template problem and delivery warning or error the server can produce has a label', () => {
    const actions = AUDIT_ACTIONS.map((action) => `event.${action}`);
    const reasons = Object.keys(REASONS).map((reason) => `reason.${reason}`);
    const rules = ['too-short', 'too-long', 'common', 'personal-info'].map((rule) => `policy.${rule}`);
    const problems = Object.keys(TEMPLATE_PROBLEMS).map((code) => `templates.problem.${code}`);
    const emails = TEMPLATE_NAMES.map((name) => `templates.name.${name}`);
    const delivery = [
      ...HEALTH_WARNINGS.map((code) => `delivery.warning.${code}`),
      ...DELIVERY_ERRORS.map((code) => `delivery.error.${code}`),
      ...['ok', 'degraded', 'down'].map((status) => `delivery.status.${status}`),
      ...['request', 'code', 'notice'].map((kind) => `delivery.kind.${kind}`),
    ];
    expect(problems.length).toBeGreaterThan(5);
    expect([...actions, ...reasons, ...rules, ...problems, ...emails, ...delivery].filter((key) => !(key in en))).toEqual([]);
  });
});
