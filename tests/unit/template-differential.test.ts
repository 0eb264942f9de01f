// The template check against a second, independent reader (ARCHITECTURE.md, "Email templates"): fast-check writes
// templates the way an attacker would — links behind character references named, numeric and malformed, attributes
// glued together or separated by `/`, unquoted, in capitals, nested in SVG, CSS url() and image-set, srcset, bare
// domains in text — and for every template the check accepts, htmlparser2 (HTML) and linkifyjs (text) read the
// email as rendered with sample values and must find no address outside the site's hosts.
import fc from 'fast-check';
import { Parser } from 'htmlparser2';
import * as linkifyjs from 'linkifyjs';
import { renderTemplate, templateProblems } from '../../server/src/domain/templates';
import { TEMPLATE_VARIABLES, type EmailTemplate } from '../../shared/contracts';

const ALLOWED = ['example.com', 'app.example.com'];
const rules = { variables: [...TEMPLATE_VARIABLES.reset, 'firstName'], allowedHosts: ALLOWED };
const sample = {
  link: 'https://example.com/password-reset/reset#token=sample',
  forgotLink: 'https://app.example.com/forgot?from=email&x=1',
  siteName: 'Example',
  email: 'ada@example.com',
  username: 'ada lovelace',
  firstName: 'Ada " onmouseover=alert(1) x=',
  expiresIn: 'in 1 hour',
  expiresAt: '7 Dec 2026, 04:00 UTC',
};

// ---------------------------------------------------------------------------------------------------------------
// The independent reader: what a client would open or fetch, found without parse5, css-tree or linkify-it.

/** Attributes that hold an address in some version of HTML, SVG or MathML. */
const URL_ATTRIBUTES = new Set([
  'href',
  'src',
  'srcset',
  'background',
  'action',
  'formaction',
  'poster',
  'xlink:href',
  'data',
  'cite',
  'longdesc',
  'lowsrc',
  'dynsrc',
  'codebase',
  'manifest',
  'ping',
  'usemap',
  'profile',
  'icon',
]);

/** Elements a client shows in the line of the text around them; any other starts or ends a block. */
const INLINE = new Set(['a', 'b', 'i', 'u', 's', 'em', 'strong', 'span', 'font', 'small', 'big', 'sub', 'sup', 'code']);

/** Anything in CSS that looks like an address: url(...), and strings or words with a scheme or `//`. */
const cssAddresses = (css: string) => [
  ...[...css.matchAll(/url\(\s*(['"]?)([^'")]*)\1\s*\)/gi)].map((match) => match[2]),
  ...[...css.matchAll(/(?:[a-z][a-z0-9+.-]*:)?\/\/[^\s"')]+/gi)].map((match) => match[0]),
  ...[...css.matchAll(/@import\s+(['"])([^'"]*)\1/gi)].map((match) => match[2]),
];

function addressesInHtml(html: string): string[] {
  const found: string[] = [];
  let text = '';
  let inStyle = false;
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (name === 'style') inStyle = true;
        if (!INLINE.has(name)) text += ' ';
        for (const [attribute, value] of Object.entries(attributes)) {
          if (attribute === 'srcset') found.push(...value.split(',').map((candidate) => candidate.trim().split(/\s+/)[0]));
          else if (URL_ATTRIBUTES.has(attribute)) found.push(value);
          else if (attribute === 'style') found.push(...cssAddresses(value));
          else if (attribute === 'content' && attributes['http-equiv']?.toLowerCase() === 'refresh')
            found.push(value.replace(/^.*?url\s*=\s*/i, ''));
        }
      },
      ontext(data) {
        if (inStyle) found.push(...cssAddresses(data));
        else text += data;
      },
      onclosetag(name) {
        if (name === 'style') inStyle = false;
        if (!INLINE.has(name)) text += ' ';
      },
    },
    { decodeEntities: true },
  );
  parser.write(html);
  parser.end();
  return [...found, ...linkifyjs.find(text).map((link) => link.href)];
}

/** An address the email may carry: an anchor, a mailto:, or http(s) on an allowed host without userinfo. */
function allowed(address: string): boolean {
  const trimmed = address.trim();
  if (trimmed === '' || trimmed.startsWith('#') || /^mailto:/i.test(trimmed)) return trimmed !== '';
  try {
    const url = new URL(trimmed);
    return ['http:', 'https:'].includes(url.protocol) && !url.username && !url.password && ALLOWED.includes(url.hostname);
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The attacker's templates

const characterReference = (char: string) =>
  fc.constantFrom(
    char,
    `&#${char.codePointAt(0)};`,
    `&#x${(char.codePointAt(0) as number).toString(16)};`,
    `&#X${(char.codePointAt(0) as number).toString(16).toUpperCase()}`,
    `&#0${char.codePointAt(0)}`,
    (
      { '/': '&sol;', '\\': '&bsol;', '#': '&num;', '?': '&quest;', ':': '&colon;', '.': '&period;', '@': '&commat;' } as Record<
        string,
        string
      >
    )[char] ?? char,
  );
/** A string with some characters written as references. */
const encoded = (text: string) => fc.tuple(...[...text].map(characterReference)).map((chars) => chars.join(''));

const host = fc.constantFrom(
  ...ALLOWED,
  'EXAMPLE.COM',
  'evil.test',
  'evil.com',
  'example.com.evil.com',
  'xn--exmple-cua.com',
  'example.com.',
  '127.0.0.1',
);
const scheme = fc.constantFrom(
  'https://',
  'http://',
  '//',
  'https:',
  'HTTPS://',
  'https:\\\\',
  ' https://',
  'java\tscript:',
  'javascript:',
  'mailto:',
  'ftp://',
  '',
);
const separator = fc.constantFrom('/', '\\', '#', '?', '@', ':443/', '');
const tail = fc.constantFrom('', 'reset', '{{link}}', '{{firstName}}', '@evil.com/', 'x?a=1&amp;b=2', '&#x110000;', '&', '&am', '&#;');
const url = fc.oneof(
  { weight: 1, arbitrary: fc.constantFrom('{{link}}', '{{forgotLink}}', '#top', '{{firstName}}', ' {{link}} ') },
  {
    weight: 4,
    arbitrary: fc
      .tuple(scheme, fc.constantFrom('', 'evil.com@', 'example.com@', '{{firstName}}'), host, separator, tail)
      .chain((parts) => encoded(parts.join(''))),
  },
);

const quoted = (value: string) =>
  fc.constantFrom(`"${value.replace(/"/g, '&quot;')}"`, `'${value.replace(/'/g, '&#39;')}'`, value.replace(/[\s>]/g, ''));
const attributeName = fc.constantFrom(
  'href',
  'HREF',
  'src',
  'srcset',
  'background',
  'xlink:href',
  'action',
  'formaction',
  'poster',
  'title',
  'alt',
  'style',
  'onload',
  'content',
);
const attribute = fc
  .tuple(fc.constantFrom(' ', '/', '', '\n', '\t '), attributeName, fc.constantFrom('=', ' = '), url)
  .chain(([before, name, equals, address]) => {
    const value =
      name === 'style'
        ? fc.constantFrom(
            `background:url(${address})`,
            `background-image:image-set("${address}" 1x)`,
            `color:red`,
            `background:u\\rl(${address})`,
          )
        : name === 'srcset'
          ? fc.constant(`https://example.com/a.png 1x, ${address} 2x`)
          : name === 'content'
            ? fc.constant(`0;url=${address}`)
            : fc.constant(address);
    return value.chain((text) => quoted(text)).map((spelled) => `${before}${name}${equals}${spelled}`);
  });
const tag = fc.constantFrom('a', 'A', 'img', 'p', 'td', 'table', 'div', 'span', 'base', 'meta', 'svg', 'math', 'font', 'iframe');
const element = fc
  .tuple(
    tag,
    fc.array(attribute, { maxLength: 3 }),
    fc.constantFrom('x', '', 'evil.com/reset', 'www.evil.com', 'https://evil.com', 'example.com'),
  )
  .map(([name, attributes, text]) => `<${name}${attributes.join('')}>${text}</${name}>`);
const style = url.map((address) => `<style>p{background:url(${address})}@import "${address}";</style>`);
const words = fc.constantFrom(
  'Hello',
  '{{link}}',
  'evil.com/reset',
  'www.evil.com',
  'https://evil.com',
  'example.com/help',
  'ada@evil.com',
  'https:evil.com',
  '{{firstName}}',
);
const text = fc.array(fc.oneof(words, fc.constantFrom(' ', '\n', '.', ', ')), { maxLength: 8 }).map((parts) => parts.join(''));

const template: fc.Arbitrary<EmailTemplate> = fc.record({
  subject: fc.constantFrom('Reset your password', 'Visit evil.com', 'Hi {{firstName}}'),
  text: text.map((body) => `{{link}} ${body}`),
  html: fc
    .array(fc.oneof({ weight: 5, arbitrary: element }, { weight: 1, arbitrary: style }, { weight: 2, arbitrary: text }), { maxLength: 5 })
    .map((parts) => `<p><a href="{{link}}">Choose</a></p>${parts.join('')}`),
});

it('finds, in every email the check accepts, no address outside the site’s hosts', () => {
  let accepted = 0;
  fc.assert(
    fc.property(template, (candidate) => {
      if (templateProblems('reset', candidate, rules).length > 0) return;
      accepted += 1;
      const email = renderTemplate(candidate, sample);
      const addresses = [...addressesInHtml(email.html), ...linkifyjs.find(`${email.text}\n${email.subject}`).map((link) => link.href)];
      expect(addresses.filter((address) => !allowed(address))).toEqual([]);
    }),
    { numRuns: 3000 },
  );
  // The generator must reach templates the check accepts, or the property says nothing.
  expect(accepted).toBeGreaterThan(100);
});

it('accepts the templates an administrator writes: links to the site, styles, tables, the URL variables', () => {
  const html = [
    '<html><head><meta charset="utf-8"><title>Reset</title><style>@media (max-width:600px){td{padding:0}} a{color:#4945ff}</style></head>',
    '<body bgcolor="#ffffff"><table role="presentation" width="100%" cellpadding="0" cellspacing="0"><tr><td align="center" style="padding:16px;background:url(https://app.example.com/bg.png)">',
    '<img src="https://app.example.com/logo.png" alt="{{siteName}}" width="120"><h1>Hello {{firstName}}</h1>',
    '<p><a href="{{link}}" target="_blank" rel="noopener" style="background:linear-gradient(#fff,#eee)">Choose a password</a> or <a href="{{forgotLink}}">ask again</a>.</p>',
    '<p>Help: <a href="https://example.com/help?from=email&amp;lang=en">example.com/help</a>, <a href="mailto:help@example.com">help@example.com</a>, <a href="#top">top</a></p>',
    '</td></tr></table></body></html>',
  ].join('');
  expect(templateProblems('reset', { subject: 'Reset', text: 'Open {{link}} or https://example.com/help', html }, rules)).toEqual([]);
});
