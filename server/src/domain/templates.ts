// The email template engine (ARCHITECTURE.md, "Email templates"): logic-less. A template is text with `{{name}}`
// placeholders and nothing else: no sections, no partials, no helpers, no expressions, so a template cannot run
// code. Every value is escaped for the part it goes in. `templateProblems` is the one check of a template,
// run on a save in the admin and on the config file's templates at boot.
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

export type TemplateVariables = Record<string, string>;

/** A placeholder: `{{ name }}`, spaces allowed inside the braces. */
const PLACEHOLDER = /^\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/;

type Piece = { text: string } | { variable: string } | { invalid: string; unescaped: boolean };

/** Templates as parsed for rendering, by source: every email of a kind is written from the same few. */
const parsed = boundedCache<Piece[]>(64);
const parse = (source: string): Piece[] => parsed(source, () => split(source));

/**
 * Splits a template into text, placeholders, and anything else that opens with `{{` (which is refused). The check
 * (`templateProblems`) calls it directly: a template being edited is checked once, and is not kept.
 */
function split(source: string): Piece[] {
  const pieces: Piece[] = [];
  let rest = source;
  for (;;) {
    const open = rest.indexOf('{{');
    if (open === -1) break;
    if (open > 0) pieces.push({ text: rest.slice(0, open) });
    rest = rest.slice(open);
    const placeholder = PLACEHOLDER.exec(rest);
    if (placeholder) {
      pieces.push({ variable: placeholder[1] });
      rest = rest.slice(placeholder[0].length);
    } else {
      const close = rest.indexOf('}}');
      const end = close === -1 ? Math.min(rest.length, 2) : close + (rest[close + 2] === '}' ? 3 : 2);
      pieces.push({ invalid: rest.slice(0, end), unescaped: rest.startsWith('{{{') || /^\{\{\s*&/.test(rest) });
      rest = rest.slice(end);
    }
  }
  if (rest) pieces.push({ text: rest });
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

export interface TemplateRules {
  /** Every variable the template may use: its own, then the account fields the site names. */
  variables: readonly string[];
  /** Host names a link may point to: the site's own pages and its allowed front ends. */
  allowedHosts: readonly string[];
}

/** Scripts and the elements and attributes that run or embed active content. */
const ACTIVE_CONTENT =
  /<\s*(script|iframe|object|embed|frame|frameset|applet|base|meta|form)\b|<[^>]*\son[a-z]+\s*=|javascript:|vbscript:/i;
/** Attributes whose value is a place a click or a submit takes the reader; `/` separates attributes as a space does. */
const LINK_ATTRIBUTE = /[\s/](?:href|action|formaction|xlink:href)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/gi;
/** A web address written out in a part's words, which mail clients turn into a link: with its scheme, or `www.`. */
const BARE_URL = /\b(?:https?:\/\/|www\.)[^\s<>"'{}]+/gi;

/** An attribute's value as a mail client reads it: character references decoded, control characters dropped. */
function decodeAttribute(value: string): string {
  return value
    .replace(/&#x([0-9a-f]+);?/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);?/g, (_, dec: string) => String.fromCodePoint(Number(dec)))
    .replace(
      /&(colon|tab|newline|amp);/gi,
      (_, name: string) => ({ colon: ':', tab: '\t', newline: '\n', amp: '&' })[name.toLowerCase()] as string,
    )
    .replace(/\s/g, '')
    .replace(/[^\x21-\x7e\u00a0-\uffff]/g, ''); // what is left of control characters
}

/** Why a link's address is refused, or null: only the plugin's URL variables, mailto:, #anchors and allowed hosts. */
function linkProblem(address: string, rules: TemplateRules): Pick<TemplateProblem, 'code' | 'detail'> | null {
  if (address.startsWith('{{')) {
    const first = PLACEHOLDER.exec(address)?.[1];
    return first && (URL_VARIABLES as readonly string[]).includes(first) ? null : { code: 'variableUrl', detail: address };
  }
  if (address.startsWith('#') || /^mailto:/i.test(address)) return null;
  return hostProblem(address, rules);
}

function hostProblem(address: string, rules: TemplateRules): Pick<TemplateProblem, 'code' | 'detail'> | null {
  try {
    const url = new URL(address);
    if ((url.protocol === 'http:' || url.protocol === 'https:') && rules.allowedHosts.includes(url.hostname.toLowerCase())) return null;
  } catch {
    // Not an absolute URL (a relative path, a variable in the host): a link in an email must name its host.
  }
  return { code: 'hostNotAllowed', detail: address };
}

/** Every reason this template may not be saved for this email; none for a template that may. */
export function templateProblems(name: TemplateName, template: EmailTemplate, rules: TemplateRules): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  const add = (part: TemplatePart, problem: Pick<TemplateProblem, 'code' | 'detail'>) => {
    if (!problems.some((known) => known.part === part && known.code === problem.code && known.detail === problem.detail)) {
      problems.push({ part, ...problem });
    }
  };
  for (const part of TEMPLATE_PARTS) {
    const source = template[part];
    if (typeof source !== 'string' || source.trim() === '') {
      add(part, { code: 'empty' });
      continue;
    }
    if (source.length > TEMPLATE_MAX_LENGTH[part]) add(part, { code: 'tooLong', detail: String(TEMPLATE_MAX_LENGTH[part]) });
    if (part === 'subject' && /[\r\n]/.test(source)) add(part, { code: 'multiline' });
    const pieces = split(source);
    for (const piece of pieces) {
      if ('invalid' in piece) add(part, { code: piece.unescaped ? 'unescaped' : 'syntax', detail: piece.invalid });
      else if ('variable' in piece && !rules.variables.includes(piece.variable))
        add(part, { code: 'unknownVariable', detail: piece.variable });
    }
    if (
      part !== 'subject' &&
      TEMPLATES_WITH_LINK.includes(name) &&
      !pieces.some((piece) => 'variable' in piece && piece.variable === LINK_VARIABLE)
    ) {
      add(part, { code: 'missingLink' });
    }
    if (part === 'html') {
      const active = ACTIVE_CONTENT.exec(source);
      if (active) add(part, { code: 'script', detail: active[0].trim() });
      for (const match of source.matchAll(LINK_ATTRIBUTE)) {
        const problem = linkProblem(decodeAttribute(match[1] ?? match[2] ?? match[3] ?? ''), rules);
        if (problem) add(part, problem);
      }
    }
    for (const [address] of source.matchAll(BARE_URL)) {
      const problem = hostProblem(/^www\./i.test(address) ? `https://${address}` : address, rules);
      if (problem) add(part, problem);
    }
  }
  return problems;
}
