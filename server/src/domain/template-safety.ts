// What an email template's HTML and text may say (ARCHITECTURE.md, "Email templates"): each part is read the way a
// mail client reads it — HTML by parse5 (the WHATWG tokenizer and tree builder that browsers and webmail follow),
// CSS by css-tree, links in words by linkify-it, addresses by the WHATWG URL parser — and what was read is held
// against an allow-list. Nothing here matches the raw text: where a pattern and a reader disagree (entities,
// attribute separators, escapes), the attack is.
import { defaultTreeAdapter, Parser, type DefaultTreeAdapterMap, type ParserError, type Token } from 'parse5';
import * as csstree from 'css-tree';
import LinkifyIt from 'linkify-it';
import type { TemplateProblem } from '../../../shared/contracts';

export type Problem = Pick<TemplateProblem, 'code' | 'detail'>;

export interface SafetyRules {
  /** Host names an address may point to: the site's own pages and its allowed front ends (as `URL.hostname`). */
  allowedHosts: readonly string[];
}

/**
 * A part is checked as it will be sent, with each placeholder standing for the value the renderer will write
 * (`markPlaceholders` in domain/templates.ts). A URL variable (`{{link}}`, `{{forgotLink}}`) stands as one opaque
 * token; any other variable as a token holding a space, because a value may hold one: written into an unquoted
 * attribute, it would split it and start another attribute. Private-use characters, so that no reader gives them
 * a meaning; a template that holds them itself is refused.
 */
export const URL_MARK = (index: number) => `\uE000${index}\uE000`;
export const VALUE_MARK = (index: number) => `\uE001${index} \uE001`;
const MARKS = /\uE000(\d+)\uE000|\uE001(\d+) \uE001/g;
const MARK_CHARACTER = /[\uE000\uE001]/;
const WHOLE_URL_MARK = /^\uE000\d+\uE000$/;

/** How a checked text shows its placeholders again in a problem's detail. */
export type Restore = (marked: string) => string;

/** The `Restore` of a text whose marks number the variables `names`. */
export const restoring =
  (names: readonly string[]): Restore =>
  (marked) =>
    marked.replace(MARKS, (_, url: string | undefined, value: string | undefined) => `{{${names[Number(url ?? value)]}}}`);

// ---------------------------------------------------------------------------------------------------------------
// The allow-list, read like sanitize-html's allowedTags / allowedAttributes: what email HTML needs, nothing that
// runs, embeds, submits or loads from elsewhere. An attribute's kind says how its value is checked.

/** `text`: shown or ignored, never followed; `link`: an address a click opens; `image`: an address the client fetches; `css`: a declaration list. */
type AttributeKind = 'text' | 'link' | 'image' | 'css' | readonly string[];

/** On every allowed element. `aria-*` too (see `attributeKind`). */
const GLOBAL_ATTRIBUTES: Record<string, AttributeKind> = {
  style: 'css',
  class: 'text',
  id: 'text',
  dir: 'text',
  lang: 'text',
  title: 'text',
  role: 'text',
  align: 'text',
  valign: 'text',
  width: 'text',
  height: 'text',
  bgcolor: 'text',
};

const TABLE_CELL: Record<string, AttributeKind> = { colspan: 'text', rowspan: 'text', nowrap: 'text', scope: 'text', background: 'image' };
const NONE: Record<string, AttributeKind> = {};

/** Every element a template may contain, with the attributes it may have besides the global ones. */
const ALLOWED_ELEMENTS: Record<string, Record<string, AttributeKind>> = {
  html: { xmlns: 'text' },
  head: NONE,
  title: NONE,
  // `http-equiv` only names the content type: refresh (a redirect) and set-cookie are not on the list.
  meta: { charset: 'text', name: 'text', content: 'text', 'http-equiv': ['content-type', 'x-ua-compatible'] },
  style: { type: 'text', media: 'text' },
  body: {
    background: 'image',
    text: 'text',
    link: 'text',
    vlink: 'text',
    alink: 'text',
    leftmargin: 'text',
    topmargin: 'text',
    marginwidth: 'text',
    marginheight: 'text',
  },
  div: NONE,
  span: NONE,
  p: NONE,
  br: NONE,
  hr: { size: 'text', noshade: 'text' },
  center: NONE,
  blockquote: NONE,
  pre: NONE,
  code: NONE,
  h1: NONE,
  h2: NONE,
  h3: NONE,
  h4: NONE,
  h5: NONE,
  h6: NONE,
  a: { href: 'link', target: 'text', rel: 'text', name: 'text' },
  img: { src: 'image', alt: 'text', border: 'text', hspace: 'text', vspace: 'text' },
  strong: NONE,
  em: NONE,
  b: NONE,
  i: NONE,
  u: NONE,
  s: NONE,
  small: NONE,
  big: NONE,
  sub: NONE,
  sup: NONE,
  font: { color: 'text', face: 'text', size: 'text' },
  ul: { type: 'text' },
  ol: { type: 'text', start: 'text' },
  li: { value: 'text' },
  table: { border: 'text', cellpadding: 'text', cellspacing: 'text', background: 'image', summary: 'text' },
  thead: NONE,
  tbody: NONE,
  tfoot: NONE,
  tr: NONE,
  td: TABLE_CELL,
  th: TABLE_CELL,
  col: { span: 'text' },
  colgroup: { span: 'text' },
  caption: NONE,
};

/** Text flows through these as through a sentence: a mail client links what their text spells together. */
const INLINE_ELEMENTS = new Set(['a', 'span', 'strong', 'em', 'b', 'i', 'u', 's', 'small', 'big', 'sub', 'sup', 'font', 'code']);

/**
 * Parse errors that say how the tree was built, not how a tag or a character was read: every reader builds the
 * same tree from them (a missing doctype, an end tag without its start, `<div/>`). Every other parse error — a
 * character reference out of range or without `;`, attributes without a space between them, a duplicate
 * attribute, a construct left open at the end — is where readers part ways, and refuses the template.
 */
const TOLERATED_PARSE_ERRORS = new Set([
  'missing-doctype',
  'non-conforming-doctype',
  'misplaced-doctype',
  'end-tag-without-matching-open-element',
  'closing-of-element-with-open-child-elements',
  'open-elements-left-after-eof',
  'abandoned-head-element-child',
  'misplaced-start-tag-for-head-element',
  'non-void-html-element-start-tag-with-trailing-solidus',
]);

/**
 * The deepest nesting of elements a template may have. An HTML tree builder looks through its stack of open
 * elements for many tags, so nesting without bound is quadratic; email layouts nest tables a few levels deep.
 */
export const MAX_DEPTH = 128;

/** CSS functions a style may call; `url()` is css-tree's own node and is checked as an address. */
const CSS_FUNCTIONS = new Set([
  'rgb',
  'rgba',
  'hsl',
  'hsla',
  'calc',
  'min',
  'max',
  'clamp',
  'linear-gradient',
  'radial-gradient',
  'repeating-linear-gradient',
  'repeating-radial-gradient',
]);
/** At-rules a `<style>` may hold; `@import` (a remote stylesheet) is not one. */
const CSS_AT_RULES = new Set(['media', 'font-face']);

/** The longest run of text without a space a part may have; linkify-it's scan of one run is quadratic in its length. */
export const MAX_WORD = 1000;

// ---------------------------------------------------------------------------------------------------------------
// Addresses

const isAllowedHttpUrl = (url: URL, rules: SafetyRules) =>
  (url.protocol === 'http:' || url.protocol === 'https:') && !url.username && !url.password && rules.allowedHosts.includes(url.hostname);

const parseUrl = (value: string): URL | null => {
  try {
    return new URL(value);
  } catch {
    return null;
  }
};

/**
 * Why an address in an attribute or CSS is refused, or null. A link (`href`) may be a URL variable standing for
 * the whole address, a `mailto:` or an `#anchor`; every address may be an absolute http(s) URL without userinfo
 * on an allowed host. A placeholder inside an address must come after the host: its value may not move the host,
 * which is tested by continuing the address before the placeholder with `@` (the one character that would).
 */
export function addressProblem(value: string, use: 'link' | 'image', rules: SafetyRules, restore: Restore): Problem | null {
  const address = value.trim();
  if (WHOLE_URL_MARK.test(address)) return use === 'link' ? null : { code: 'variableUrl', detail: restore(address) };
  if (address.startsWith('\uE000') || address.startsWith('\uE001')) return { code: 'variableUrl', detail: restore(address) };
  if (use === 'link' && address.startsWith('#')) return null;
  const mark = address.search(MARK_CHARACTER);
  const fixed = mark === -1 ? address : address.slice(0, mark);
  const url = parseUrl(fixed);
  if (use === 'link' && url?.protocol === 'mailto:') return null;
  if (!url || !isAllowedHttpUrl(url, rules) || (mark !== -1 && parseUrl(`${fixed}@host.invalid`)?.hostname !== url.hostname)) {
    return { code: 'hostNotAllowed', detail: restore(address) };
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------------------
// Links in words, as mail clients find them

/**
 * linkify-it, told that any name of two characters or more is a top-level domain (as every real one is): its
 * default list (the common and two-letter ones) would miss `evil.test`, `.local`, `.internal` and the newer TLDs,
 * which a mail client may well link; `e.g.` stays prose. Raw IPv4 addresses count too.
 */
const linkify = (() => {
  const finder = new LinkifyIt({ fuzzyIP: true });
  // `re` holds pattern sources as strings too; the type says RegExp for all of them.
  const re = finder.re as unknown as Record<string, string>;
  return finder.tlds(`(?:${re.src_xn}|${re.src_pseudo_letter}{2,63})`, false);
})();

/**
 * The words of a text as linkify-it reads them: a URL variable as a space (the site's own link, checked where it is
 * built), another variable as `xx xx` — a value joins the words on both sides, may hold a space, and may end a host
 * name as a top-level domain would.
 */
const unmark = (text: string) => text.replace(MARKS, (_, url: string | undefined) => (url !== undefined ? ' ' : 'xx xx'));

/** `.evil.com.` as `evil.com`: a linker may start a link after a dot that linkify-it takes as part of the word. */
function trimDotsAndDashes(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && (text[start] === '.' || text[start] === '-')) start += 1;
  while (end > start && (text[end - 1] === '.' || text[end - 1] === '-')) end -= 1;
  return text.slice(start, end);
}

/**
 * The local part of an ordinary email address (`ada.lovelace+news`: dot-separated atoms), which no linker reads as
 * a host; but linkifyjs links `www.evil.com` in `www.evil.com.x@example.com`.
 */
const PLAIN_LOCAL_PART = /^(?!www\.)[A-Za-z0-9_%+-]+(?:\.[A-Za-z0-9_%+-]+)*$/i;

/**
 * Whether linkify-it could find a link in a word at all: a bare host has a dot, an address with a scheme a colon
 * (or `//`), an email an `@`. Most words have none, and are not handed to it.
 */
const MAY_LINK = /[.:/@]/;

/** What is not part of a host name: read as a space by the second, looser pass of `wordsProblems`. */
const NOT_IN_HOST = /[^\p{L}\p{N}\p{M}.-]/gu;

/** What `\s` matches, as `split(/\s+/)` reads words: the ASCII ones tested here, any other by the regex itself. */
const SPACE = /\s/;
const isSpaceAt = (text: string, at: number) => {
  const code = text.charCodeAt(at);
  return code < 128 ? code === 32 || (code >= 9 && code <= 13) : SPACE.test(text[at]);
};

/**
 * Each word of a text as `text.split(/\s+/)` gives them, in order, but only those of at least `min` characters: a
 * shorter one can be neither linked nor too long, and `x ` repeated would be 50,000 strings made to be dropped.
 */
function forEachWord(text: string, min: number, each: (word: string) => void) {
  let start = 0;
  for (let at = 0; at <= text.length; at += 1) {
    if (at < text.length && !isSpaceAt(text, at)) continue;
    if (at - start >= min) each(text.slice(start, at));
    start = at + 1;
  }
}

/**
 * Every address a mail client would link in this text that may not be linked, and runs too long to read. Linkers
 * differ at the edges: linkifyjs links `evil.com` in `https:evil.com`, which linkify-it does not. So what
 * linkify-it leaves of a word is read again with every character that cannot be in a host name as a space.
 */
export function wordsProblems(text: string, rules: SafetyRules, add: (problem: Problem) => void, read = new Set<string>()) {
  const check = (match: LinkifyIt.Match) => {
    const url = parseUrl(match.url);
    if (url?.protocol === 'mailto:' || (url && isAllowedHttpUrl(url, rules))) return;
    add({ code: 'hostNotAllowed', detail: match.raw });
  };
  forEachWord(unmark(text), 3, (word) => {
    if (read.has(word)) return; // a word said again, in this text or another of the part, says nothing new
    read.add(word);
    if (word.length > MAX_WORD) {
      add({ code: 'longWord', detail: String(MAX_WORD) });
      return;
    }
    if (!MAY_LINK.test(word)) return;
    const matches = linkify.match(word) ?? [];
    matches.forEach(check);
    let rest = '';
    let at = 0;
    for (const match of matches) {
      // An email address keeps its local part in the rest unless it is a plain one: linkifyjs links `evil.com`
      // in `https:evil.com.x@example.com`, which linkify-it reads as one address. A dotted local part is plain only
      // at one of the site's hosts: a linker that does not take the domain for one (`x.evil.com.ada@evil.comHello`,
      // whose top-level domain is no real one) links the local part as a host.
      const sign = match.raw.lastIndexOf('@');
      const local = match.url.startsWith('mailto:') ? match.raw.slice(0, sign) : '';
      const atSite = rules.allowedHosts.includes(match.raw.slice(sign + 1).toLowerCase());
      const plain = local === '' || (PLAIN_LOCAL_PART.test(local) && (!local.includes('.') || atSite));
      rest += `${word.slice(at, match.index)}${plain ? '' : local} `;
      at = match.lastIndex;
    }
    rest = `${rest}${word.slice(at)}`.replace(NOT_IN_HOST, ' ');
    for (const loose of rest.split(' ')) {
      // `a..evil.com`: no host has an empty label, so a linker starts again after one.
      for (const piece of loose.split('..')) {
        const host = trimDotsAndDashes(piece);
        if (host.length >= 3 && host.includes('.')) (linkify.match(host) ?? []).forEach(check);
      }
    }
  });
}

// ---------------------------------------------------------------------------------------------------------------
// CSS

/**
 * CSS as a client reads it, from a `style` attribute (a declaration list) or a `<style>` element (a stylesheet):
 * every `url()` an allowed image address; only the functions and at-rules on the lists above. Backslash escapes
 * are refused outright: `u\rl(` is `url(` to a browser, and no list of spellings would be complete. A variable is
 * refused in CSS: its value could end a declaration and start another.
 */
export function cssProblems(
  css: string,
  context: 'declarationList' | 'stylesheet',
  rules: SafetyRules,
  restore: Restore,
  add: (problem: Problem) => void,
) {
  if (MARK_CHARACTER.test(css)) return add({ code: 'styleVariable', detail: restore(css).slice(0, 80) });
  if (css.includes('\\')) return add({ code: 'style', detail: '\\' });
  let readable = true;
  const ast = csstree.parse(css, {
    context,
    parseCustomProperty: true,
    onParseError: (error) => {
      readable = false;
      add({ code: 'style', detail: error.message });
    },
  });
  if (!readable) return;
  csstree.walk(ast, (node) => {
    if (node.type === 'Url') {
      const problem = addressProblem(node.value, 'image', rules, restore);
      if (problem) add(problem);
    } else if (node.type === 'Function' && !CSS_FUNCTIONS.has(node.name.toLowerCase())) {
      add({ code: 'style', detail: `${node.name}()` });
    } else if (node.type === 'Atrule' && !CSS_AT_RULES.has(node.name.toLowerCase())) {
      add({ code: 'style', detail: `@${node.name}` });
    } else if (node.type === 'Raw' && node.value.trim() !== '') {
      add({ code: 'style', detail: node.value.trim().slice(0, 80) });
    }
  });
}

// ---------------------------------------------------------------------------------------------------------------
// HTML

type Node = DefaultTreeAdapterMap['node'];
type Element = DefaultTreeAdapterMap['element'];
type ParentNode = DefaultTreeAdapterMap['parentNode'];
type ChildNode = DefaultTreeAdapterMap['childNode'];

class TooDeep extends Error {}

/** parse5's own tree, counting each element's depth as it is inserted, and giving up past MAX_DEPTH. */
function depthBoundedAdapter() {
  // On the node itself: a WeakMap of every node was a tenth of the parse.
  type Placed = { depth?: number };
  const place = (parent: ParentNode, node: ChildNode) => {
    const level = ((parent as Placed).depth ?? 0) + 1;
    if (level > MAX_DEPTH) throw new TooDeep();
    (node as Placed).depth = level;
  };
  return {
    ...defaultTreeAdapter,
    appendChild(parent: ParentNode, node: ChildNode) {
      place(parent, node);
      defaultTreeAdapter.appendChild(parent, node);
    },
    insertBefore(parent: ParentNode, node: ChildNode, reference: ChildNode) {
      place(parent, node);
      defaultTreeAdapter.insertBefore(parent, node, reference);
    },
  };
}

function attributeKind(element: string, attribute: string): AttributeKind | undefined {
  return ALLOWED_ELEMENTS[element]?.[attribute] ?? GLOBAL_ATTRIBUTES[attribute] ?? (attribute.startsWith('aria-') ? 'text' : undefined);
}

/**
 * parse5's parser, showing every start tag and every run of text between two tags as the tokenizer read them. The
 * tree builder drops some tags (a `<td>` outside a table, a second `<form>`) and moves text (out of a table, next
 * to other text) where a client inserting the email into its own page may not: so the allow-list is held against
 * every tag read, and links are looked for in the text as read as well as in the tree.
 */
class Reader extends Parser<DefaultTreeAdapterMap> {
  seeStartTag: (token: Token.TagToken) => void = () => {};
  /** The text between two tags, as read, outside `<style>` (CSS is checked as CSS). */
  readTexts: string[] = [];
  private text = '';
  private inStyle = false;

  constructor(options: ConstructorParameters<typeof Parser<DefaultTreeAdapterMap>>[0]) {
    super(options);
    // parse5 records every node's source location when it reports parse errors; the errors carry their own
    // position and the tree's are not needed, and recording them is most of the parse's time.
    this.options.sourceCodeLocationInfo = false;
  }

  private endText() {
    if (this.text) this.readTexts.push(this.text);
    this.text = '';
  }

  override onStartTag(token: Token.TagToken) {
    this.endText();
    if (token.tagName === 'style') this.inStyle = true;
    this.seeStartTag(token);
    super.onStartTag(token);
  }

  override onEndTag(token: Token.TagToken) {
    this.endText();
    if (token.tagName === 'style') this.inStyle = false;
    super.onEndTag(token);
  }

  override onCharacter(token: Token.CharacterToken) {
    if (!this.inStyle) this.text += token.chars;
    super.onCharacter(token);
  }

  override onWhitespaceCharacter(token: Token.CharacterToken) {
    if (!this.inStyle) this.text += token.chars;
    super.onWhitespaceCharacter(token);
  }

  override onEof(token: Token.EOFToken) {
    this.endText();
    super.onEof(token);
  }
}

/** Every reason this HTML (placeholders marked) may not be sent; `add` drops repeats. */
export function htmlProblems(html: string, rules: SafetyRules, restore: Restore, add: (problem: Problem) => void) {
  const seen = new Set<string>();
  const onParseError = (error: ParserError) => {
    if (TOLERATED_PARSE_ERRORS.has(error.code) || seen.has(error.code)) return;
    seen.add(error.code);
    add({ code: 'malformed', detail: `${error.code} (line ${error.startLine}, column ${error.startCol})` });
  };
  const reader = new Reader({ onParseError, treeAdapter: depthBoundedAdapter() });
  reader.seeStartTag = ({ tagName: name, attrs }) => {
    if (!(name in ALLOWED_ELEMENTS)) add({ code: name === 'script' ? 'script' : 'element', detail: restore(name) });
    for (const { name: attribute, value } of attrs) {
      if (MARK_CHARACTER.test(attribute)) {
        add({ code: 'unquotedVariable', detail: restore(name) });
        continue;
      }
      const kind = attributeKind(name, attribute);
      if (kind === undefined) {
        add({ code: attribute.startsWith('on') ? 'script' : 'attribute', detail: `${restore(name)} ${attribute}` });
      } else if (kind === 'link' || kind === 'image') {
        const problem = addressProblem(value, kind, rules, restore);
        if (problem) add(problem);
      } else if (kind === 'css') {
        cssProblems(value, 'declarationList', rules, restore, add);
      } else if (Array.isArray(kind) && !kind.includes(value.trim().toLowerCase())) {
        add({ code: 'attribute', detail: `${name} ${attribute}="${restore(value)}"` });
      }
    }
  };
  try {
    reader.tokenizer.write(html, true);
  } catch (error) {
    if (error instanceof TooDeep) return add({ code: 'tooDeep', detail: String(MAX_DEPTH) });
    throw error;
  }

  // Text is gathered as a client shows it: each text node alone, and the runs that inline elements join.
  const texts: string[] = [];
  let run = '';
  const endRun = () => {
    if (run) texts.push(run);
    run = '';
  };

  const visitElement = (element: Element) => {
    const name = element.tagName;
    // An `<a>` inside `<svg>` is SVG's, whose links a client may follow by other attributes.
    if (element.namespaceURI !== 'http://www.w3.org/1999/xhtml') add({ code: 'element', detail: restore(name) });
    if (name === 'style') {
      const css = element.childNodes.map((child) => ('value' in child ? child.value : '')).join('');
      cssProblems(css, 'stylesheet', rules, restore, add);
      return;
    }
    const inline = INLINE_ELEMENTS.has(name);
    if (!inline) endRun();
    element.childNodes.forEach(visit);
    if (!inline) endRun();
  };

  const visit = (node: Node) => {
    if (node.nodeName === '#text' && 'value' in node) {
      texts.push(node.value);
      run += node.value;
    } else if (node.nodeName === '#comment' && 'data' in node) {
      // Outlook reads the markup inside conditional comments (`<!--[if mso]>…<![endif]-->`); no other reader does.
      if (/[[<>]/.test(node.data)) add({ code: 'comment', detail: restore(node.data).slice(0, 80) });
    } else if ('tagName' in node) {
      visitElement(node);
    } else if ('childNodes' in node) {
      node.childNodes.forEach(visit);
    }
  };
  visit(reader.document);
  endRun();
  // A text read again (a text node alone and as its own run, or as the tokenizer read it) says nothing new: its
  // words are all in `read`. Skipping it whole spares splitting it again: `<p>a.b ` repeated is 40,000 texts.
  const read = new Set<string>();
  const readTexts = new Set<string>();
  for (const list of [texts, reader.readTexts]) {
    for (const text of list) {
      if (readTexts.has(text)) continue;
      readTexts.add(text);
      wordsProblems(text, rules, add, read);
    }
  }
}

/** A part holding the private-use characters that stand for placeholders cannot be checked: refused. */
export const holdsMarks = (source: string) => MARK_CHARACTER.test(source);
