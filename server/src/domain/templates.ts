// The email template engine (ARCHITECTURE.md, "Email templates"): logic-less. A template is text with `{{name}}`
// placeholders and nothing else: no sections, no partials, no helpers, no expressions, so a template cannot run
// code. Every value is escaped for the part it goes in. `templateProblems` is the one check of a template,
// run on a save in the admin and on the config file's templates at boot; what HTML and text may say is in
// template-safety.ts.
import {
  LINK_VARIABLE,
  TEMPLATE_MAX_LENGTH,
  TEMPLATE_PARTS,
  TEMPLATES_WITH_LINK,
  URL_VARIABLES,
  type EmailTemplate,
  type TemplateName,
  type TemplatePart,
  type TemplateProblem,
} from '../../../shared/contracts';
import { escapeHtml } from '../utils/html';
import { boundedCache } from '../utils/bounded-cache';
import {
  holdsMarks,
  htmlProblems,
  restoring,
  URL_MARK,
  VALUE_MARK,
  wordsProblems,
  type Problem,
  type Restore,
  type SafetyRules,
} from './template-safety';

export type TemplateVariables = Record<string, string>;

/** A placeholder: `{{ name }}`, spaces allowed inside the braces (sticky: read where a `{{` opens). */
const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/y;
/** `{{{…}}}` and `{{&…}}`: the spellings other engines use to insert a value unescaped. */
const UNESCAPED = /\{\{(?:\{|\s*&)/y;

/** A placeholder keeps where it stands in the source (`at` to `end`), so that the check can mark it in place. */
type Piece = { text: string } | { variable: string; at: number; end: number } | { invalid: string; unescaped: boolean };

/** Templates as parsed for rendering, by source: every email of a kind is written from the same few. */
const parsed = boundedCache<Piece[]>(64);
const parse = (source: string): Piece[] => parsed(source, () => split(source));

/**
 * Splits a template into text, placeholders, and anything else that opens with `{{` (which is refused). The check
 * (`templateProblems`) calls it directly: a template being edited is checked once, and is not kept.
 */
function split(source: string): Piece[] {
  const pieces: Piece[] = [];
  let at = 0;
  let close = -1; // the next `}}` at or after `at`, looked up again only once passed: one scan of the source
  for (;;) {
    const open = source.indexOf('{{', at);
    if (open === -1) break;
    if (open > at) pieces.push({ text: source.slice(at, open) });
    PLACEHOLDER.lastIndex = open;
    const placeholder = PLACEHOLDER.exec(source);
    if (placeholder) {
      pieces.push({ variable: placeholder[1], at: open, end: PLACEHOLDER.lastIndex });
      at = PLACEHOLDER.lastIndex;
      continue;
    }
    if (close !== -2 && close < open) close = source.indexOf('}}', open);
    if (close === -1) close = -2; // none left
    const end = close < 0 ? Math.min(source.length, open + 2) : close + (source[close + 2] === '}' ? 3 : 2);
    UNESCAPED.lastIndex = open;
    pieces.push({ invalid: source.slice(open, end), unescaped: UNESCAPED.test(source) });
    at = end;
  }
  if (at < source.length) pieces.push({ text: source.slice(at) });
  return pieces;
}

/** How a value is written in each part: HTML-escaped in `html`, on one line in the subject, as is in `text`. */
const ESCAPE: Record<TemplatePart, (value: string) => string> = {
  subject: (value) => value.replace(/[\r\n]+/g, ' '),
  text: (value) => value,
  html: escapeHtml,
};

/** Fills a part's placeholders; a variable without a value is written as nothing. */
export function renderPart(source: string, variables: TemplateVariables, part: TemplatePart): string {
  return parse(source)
    .map((piece) => ('text' in piece ? piece.text : 'variable' in piece ? ESCAPE[part](variables[piece.variable] ?? '') : piece.invalid))
    .join('');
}

/** The longest account value written into an email, in characters. */
export const ACCOUNT_VALUE_MAX = 100;

/**
 * A value the account holder chose (a username, a custom field), as an email may carry it: one line, at most
 * ACCOUNT_VALUE_MAX characters, so that it cannot pose as paragraphs or a long message of the site's own.
 */
export function accountValue(value: string): string {
  const line = value.replace(/\s+/g, ' ').trim();
  return line.length > ACCOUNT_VALUE_MAX ? `${line.slice(0, ACCOUNT_VALUE_MAX - 1)}…` : line;
}

export const renderTemplate = (template: EmailTemplate, variables: TemplateVariables): EmailTemplate => ({
  subject: renderPart(template.subject, variables, 'subject'),
  text: renderPart(template.text, variables, 'text'),
  html: renderPart(template.html, variables, 'html'),
});

export interface TemplateRules extends SafetyRules {
  /** Every variable the template may use: its own, then the account fields the site names. */
  variables: readonly string[];
}

/**
 * A part as it will be sent, each placeholder standing as a mark for its value (template-safety.ts, `URL_MARK`),
 * so that the check reads what a mail client will read; invalid placeholders are refused anyway and stay as text.
 */
function markPlaceholders(source: string, pieces: Piece[]): { marked: string; restore: Restore } {
  const names: string[] = [];
  let marked = '';
  let at = 0;
  // The source between two placeholders is taken whole, not piece by piece: `{{` repeated is 50,000 pieces.
  for (const piece of pieces) {
    if (!('variable' in piece)) continue;
    names.push(piece.variable);
    const index = names.length - 1;
    const mark = (URL_VARIABLES as readonly string[]).includes(piece.variable) ? URL_MARK(index) : VALUE_MARK(index);
    marked += `${source.slice(at, piece.at)}${mark}`;
    at = piece.end;
  }
  return { marked: `${marked}${source.slice(at)}`, restore: restoring(names) };
}

/** The most problems listed per part: enough to fix, and a bounded answer whatever the template. */
const MAX_PROBLEMS_PER_PART = 20;

/**
 * Thrown by a part's `add` once its list is full, out of parse5, css-tree or linkify-it's callbacks, and caught in
 * `templateProblems`: nothing found in the part after that would be listed, so reading on would be time lost.
 */
class PartFull extends Error {}

/** Every reason this template may not be saved for this email; none for a template that may. */
export function templateProblems(name: TemplateName, template: EmailTemplate, rules: TemplateRules): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  const known = new Set<string>();
  const count: Partial<Record<TemplatePart, number>> = {};
  const add = (part: TemplatePart, problem: Problem) => {
    if ((count[part] ?? 0) >= MAX_PROBLEMS_PER_PART) return;
    const key = JSON.stringify([part, problem.code, problem.detail]);
    if (known.has(key)) return;
    known.add(key);
    count[part] = (count[part] ?? 0) + 1;
    problems.push({ part, ...problem });
  };
  for (const part of TEMPLATE_PARTS) {
    const source = template[part];
    if (typeof source !== 'string' || source.trim() === '') {
      add(part, { code: 'empty' });
      continue;
    }
    if (source.length > TEMPLATE_MAX_LENGTH[part]) {
      add(part, { code: 'tooLong', detail: String(TEMPLATE_MAX_LENGTH[part]) });
      continue; // the size bounds the time of every check below
    }
    if (part === 'subject' && /[\r\n]/.test(source)) add(part, { code: 'multiline' });
    const pieces = split(source);
    // A placeholder said again is reported once: `add` drops repeats too, but by a key it builds each time, which
    // `{{` repeated 50,000 times made a third of the check. (`{{` reads as `unescaped` before a third brace and as
    // `syntax` at the end: one set each, both are said.)
    const unescaped = new Set<string>();
    const syntax = new Set<string>();
    const variables = new Set<string>();
    for (const piece of pieces) {
      if ('invalid' in piece) {
        const reported = piece.unescaped ? unescaped : syntax;
        if (reported.has(piece.invalid)) continue;
        reported.add(piece.invalid);
        add(part, { code: piece.unescaped ? 'unescaped' : 'syntax', detail: piece.invalid });
      } else if ('variable' in piece && !variables.has(piece.variable)) {
        variables.add(piece.variable);
        if (!rules.variables.includes(piece.variable)) add(part, { code: 'unknownVariable', detail: piece.variable });
      }
    }
    if (
      part !== 'subject' &&
      TEMPLATES_WITH_LINK.includes(name) &&
      !pieces.some((piece) => 'variable' in piece && piece.variable === LINK_VARIABLE)
    ) {
      add(part, { code: 'missingLink' });
    }
    if (holdsMarks(source)) {
      add(part, { code: 'malformed', detail: 'U+E000/U+E001' });
      continue;
    }
    const { marked, restore } = markPlaceholders(source, pieces);
    const addHere = (problem: Problem) => {
      add(part, problem);
      if ((count[part] ?? 0) >= MAX_PROBLEMS_PER_PART) throw new PartFull();
    };
    try {
      if (part === 'html') htmlProblems(marked, rules, restore, addHere);
      else wordsProblems(marked, rules, addHere);
    } catch (error) {
      if (!(error instanceof PartFull)) throw error;
    }
  }
  return problems;
}
