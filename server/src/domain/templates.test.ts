// The template engine fills `{{name}}` and nothing else, escaping each value for its part; the check refuses
// every template that could run code, leak a value unescaped, lose the link, or send a reader elsewhere.
import { accountValue, renderPart, renderTemplate, templateProblems, type TemplateRules } from './templates';
import { LOCALES } from '../locales';
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the bench's inputs, one list for both
const { pathologicalParts } = require('../../../bench/template-inputs') as { pathologicalParts: (size: number) => Array<[string, string]> };
import { TEMPLATE_NAMES, TEMPLATE_VARIABLES, type EmailTemplate, type TemplateName } from '../../../shared/contracts';

const rules = (name: TemplateName = 'reset'): TemplateRules => ({
  variables: [...TEMPLATE_VARIABLES[name], 'firstName'],
  allowedHosts: ['example.com', 'app.example.com'],
});
const valid: EmailTemplate = {
  subject: 'Hello {{firstName}}',
  text: 'Open {{link}}',
  html: '<p><a href="{{link}}">Choose a password</a> or visit <a href="https://app.example.com/help">help</a></p>',
};
const problemsOf = (template: Partial<EmailTemplate>, name: TemplateName = 'reset') =>
  templateProblems(name, { ...valid, ...template }, rules(name)).map(({ part, code, detail }) => [part, code, detail]);

describe('rendering', () => {
  it('fills placeholders, spaces allowed, and writes nothing for a variable without a value', () => {
    expect(renderPart('Hi {{ firstName }}, {{missing}}!', { firstName: 'Ada' }, 'text')).toBe('Hi Ada, !');
  });

  it('escapes values in HTML, keeps the subject on one line, and writes text as it is', () => {
    const values = { firstName: '<img src=x onerror=alert(1)>\r\nBcc: victim@example.com' };
    const out = renderTemplate({ subject: '{{firstName}}', text: '{{firstName}}', html: '<p>{{firstName}}</p>' }, values);
    expect(out.html).toBe('<p>&lt;img src=x onerror=alert(1)&gt;\r\nBcc: victim@example.com</p>');
    expect(out.subject).toBe('<img src=x onerror=alert(1)> Bcc: victim@example.com');
    expect(out.text).toBe(values.firstName);
  });

  it('never evaluates anything: a value that looks like a placeholder or code is written as text', () => {
    const out = renderPart('{{a}}', { a: '{{b}} ${process.exit()} <%= 1 %>', b: 'no' }, 'text');
    expect(out).toBe('{{b}} ${process.exit()} <%= 1 %>');
  });
});

describe('a value the account holder chose', () => {
  it('is written on one line and cut at 100 characters, so it cannot pose as the site’s own paragraphs', () => {
    expect(accountValue('  Ada\n\nYour account is locked.\r\nCall   us ')).toBe('Ada Your account is locked. Call us');
    const long = accountValue('x'.repeat(500));
    expect(long).toHaveLength(100);
    expect(long.endsWith('…')).toBe(true);
    expect(accountValue('Zoé')).toBe('Zoé');
  });
});

describe('the check of a template', () => {
  it('accepts a valid one, and every shipped template in every language', () => {
    expect(problemsOf({})).toEqual([]);
    for (const [locale, messages] of Object.entries(LOCALES)) {
      for (const name of TEMPLATE_NAMES) {
        const shipped = templateProblems(name, messages.templates[name], { variables: TEMPLATE_VARIABLES[name], allowedHosts: [] });
        expect([locale, name, shipped]).toEqual([locale, name, []]);
      }
    }
  });

  it('refuses values inserted unescaped, in every spelling', () => {
    expect(problemsOf({ html: '<p>{{link}} {{{firstName}}}</p>' })).toEqual([['html', 'unescaped', '{{{firstName}}}']]);
    expect(problemsOf({ html: '<p>{{link}} {{& firstName}}</p>' })).toEqual([['html', 'unescaped', '{{& firstName}}']]);
    expect(problemsOf({ text: '{{link}} {{{ firstName }}}' })).toEqual([['text', 'unescaped', '{{{ firstName }}}']]);
  });

  it('refuses logic, partials, helpers, expressions and unclosed braces: the engine has only {{name}}', () => {
    for (const snippet of ['{{#if firstName}}', '{{> header}}', '{{firstName.constructor}}', '{{ lookup . "x" }}', '{{!comment}}', '{{']) {
      expect(problemsOf({ text: `{{link}} ${snippet}` })).toContainEqual(['text', 'syntax', expect.any(String)]);
    }
  });

  it('refuses a variable this email does not have', () => {
    expect(problemsOf({ subject: '{{password}}' })).toEqual([['subject', 'unknownVariable', 'password']]);
    expect(problemsOf({ subject: '{{changedAt}}' })).toEqual([['subject', 'unknownVariable', 'changedAt']]);
    expect(problemsOf({ subject: '{{link}}' }, 'ineligible')).toContainEqual(['subject', 'unknownVariable', 'link']);
  });

  it('requires {{link}} in both bodies of an email that carries a code, and only there', () => {
    expect(problemsOf({ text: 'Open the link' })).toEqual([['text', 'missingLink', undefined]]);
    expect(problemsOf({ html: '<p>Open it</p>' }, 'activation')).toEqual([['html', 'missingLink', undefined]]);
    expect(problemsOf({ text: 'Your password changed', html: '<p>Changed</p>' }, 'passwordChanged')).toEqual([]);
  });

  it('refuses links to hosts that are not the site’s, however they are written', () => {
    const refused = (html: string) => problemsOf({ html: `<p>{{link}}</p>${html}` }).map(([, code]) => code);
    expect(refused('<a href="https://evil.test/reset">x</a>')).toEqual(['hostNotAllowed']);
    expect(refused("<a href='https://example.com.evil.test'>x</a>")).toEqual(['hostNotAllowed']);
    expect(refused('<a href=https://evil.test>x</a>')).toEqual(['hostNotAllowed']);
    expect(refused('<a href="https://example.com@evil.test/">x</a>')).toEqual(['hostNotAllowed']);
    expect(refused('<a href="//evil.test/">x</a>')).toEqual(['hostNotAllowed']);
    expect(refused('<a href="/relative">x</a>')).toEqual(['hostNotAllowed']);
    expect(refused('<a href="ftp://example.com/">x</a>')).toEqual(['hostNotAllowed']);
    // A form is not on the allow-list at all: nothing in an email submits.
    expect(refused('<form action="https://evil.test/steal"><input></form>')).toEqual(['element', 'attribute', 'element']);
    expect(refused('<p>Visit https://evil.test/now</p>')).toEqual(['hostNotAllowed']);
    expect(problemsOf({ text: '{{link}} or https://evil.test' })).toEqual([['text', 'hostNotAllowed', 'https://evil.test']]);
    // Found by the differential test: a linker that takes no `comHello` domain links the dotted local part.
    expect(problemsOf({ text: '{{link}} Hellowww.evil.com.ada@evil.comHello' })).toContainEqual([
      'text',
      'hostNotAllowed',
      expect.any(String),
    ]);
    expect(problemsOf({ text: '{{link}} Write to help@example.com or ada.lovelace@example.com' })).toEqual([]);
    // HTML parsers take `/` between attributes as a space: <a/href=…> is a link, and a parse error as well.
    expect(refused('<a/href="//evil.test/">x</a>')).toEqual(['malformed', 'hostNotAllowed']);
    expect(refused('<a/href="&#104;ttps://evil.test/">x</a>')).toEqual(['malformed', 'hostNotAllowed']);
    // Mail clients link an address written with www. too.
    expect(problemsOf({ text: '{{link}} or www.evil.test/reset' })).toEqual([['text', 'hostNotAllowed', 'www.evil.test/reset']]);
    // www.example.com is another host than example.com: the allow-list names hosts exactly.
    expect(problemsOf({ text: '{{link}} or www.example.com/help' })).toEqual([['text', 'hostNotAllowed', 'www.example.com/help']]);
    expect(refused('<a href="https://APP.example.com/x">x</a> <a href="mailto:help@example.com">m</a> <a href="#top">t</a>')).toEqual([]);
  });

  it('refuses a link whose address is built from a variable other than the plugin’s URLs', () => {
    expect(problemsOf({ html: '<p>{{link}}</p><a href="{{firstName}}">x</a>' })).toEqual([['html', 'variableUrl', '{{firstName}}']]);
    expect(problemsOf({ html: '<p>{{link}}</p><a href="https://{{firstName}}.example.com">x</a>' })).toEqual([
      ['html', 'hostNotAllowed', 'https://{{firstName}}.example.com'],
    ]);
    expect(problemsOf({ html: '<p><a href="{{link}}">x</a> <a href="{{forgotLink}}">y</a></p>' })).toEqual([]);
  });

  it('refuses scripts and active content, encoded or not', () => {
    const codes = (html: string) => problemsOf({ html: `<p>{{link}}</p>${html}` }).map(([, code]) => code);
    expect(codes('<script>alert(1)</script>')).toEqual(['script']);
    expect(codes('<img src="https://example.com/x.png" onerror="alert(1)">')).toEqual(['script']);
    expect(codes('<a href="javascript:alert(1)">x</a>')).toEqual(['hostNotAllowed']);
    expect(codes('<a href="&#106;avascript:alert(1)">x</a>')).toEqual(['hostNotAllowed']);
    expect(codes('<a href="java&#x09;script:alert(1)">x</a>')).toEqual(['hostNotAllowed']);
    expect(codes('<iframe src="https://example.com"></iframe>')).toEqual(['element', 'attribute']);
    expect(codes('<meta http-equiv="refresh" content="0;url=https://evil.test">')).toEqual(['attribute']);
  });

  it('refuses empty parts, a subject on two lines, and parts over their length', () => {
    expect(problemsOf({ subject: '  ' })).toEqual([['subject', 'empty', undefined]]);
    expect(problemsOf({ subject: 'Hi\nBcc: x@example.com' })).toEqual([['subject', 'multiline', undefined]]);
    expect(problemsOf({ subject: 'x'.repeat(201) })).toEqual([['subject', 'tooLong', '200']]);
  });
});

describe('the reported bypasses (issue 27)', () => {
  const codes = (html: string) => problemsOf({ html: `<p><a href="{{link}}">x</a></p>${html}` }).map(([, code]) => code);

  it.each(['&sol;', '&bsol;', '&num;', '&quest;'])(
    'refuses a host hidden behind %s, which a mail client decodes before reading the host',
    (entity) => {
      expect(codes(`<a href="https://evil.test${entity}@example.com/password-reset/reset{{link}}">x</a>`)).not.toEqual([]);
    },
  );

  it('refuses a link whose attribute follows another without a space and spells its scheme with an entity', () => {
    expect(codes('<a title="x"href="https&#58;//evil.test/">x</a>')).not.toEqual([]);
  });

  it('refuses active content however the attribute is separated', () => {
    expect(codes('<svg/onload=alert(1)>')).not.toEqual([]);
    expect(codes('<img src=x/onerror=alert(1)>')).not.toEqual([]);
  });

  it('refuses remote content: images and CSS from another host', () => {
    expect(codes('<img src="//evil.test/p.gif">')).toContain('hostNotAllowed');
    expect(codes('<p style="background:url(//evil.test/x)">x</p>')).toContain('hostNotAllowed');
  });

  it('refuses a bare domain in the text part, which mail clients turn into a link', () => {
    expect(problemsOf({ text: '{{link}} or evil.test/reset' })).toContainEqual([
      'text',
      'hostNotAllowed',
      expect.stringContaining('evil.test'),
    ]);
  });

  it('answers a problem, not an exception, for a character reference outside Unicode', () => {
    expect(() => problemsOf({ html: '<p><a href="{{link}}">&#x110000;</a><a href="&#x110000;">y</a></p>' })).not.toThrow();
    expect(problemsOf({ html: '<p><a href="{{link}}">&#x110000;</a></p>' })).toContainEqual(['html', 'malformed', expect.any(String)]);
  });

  it('checks a 100 KB pathological part in linear time (bench/template-inputs.js; a quadratic check takes seconds on each)', () => {
    for (const [unit, html] of pathologicalParts(100_000)) {
      const started = Date.now();
      templateProblems('reset', { ...valid, html }, rules());
      // Generous, for a loaded machine: the check takes tens of milliseconds; the regexes it replaces took 22 s.
      expect([unit, Date.now() - started < 2000]).toEqual([unit, true]);
    }
  });
});

describe('an attacker’s second try', () => {
  const codes = (html: string) => problemsOf({ html: `<p><a href="{{link}}">x</a></p>${html}` }).map(([, code]) => code);

  it.each([
    ['an entity in the scheme', '<a href="&#x6A;avascript:alert(1)">x</a>'],
    ['a tab inside javascript:', '<a href="java\tscript:alert(1)">x</a>'],
    ['a newline reference inside javascript:', '<a href="jav&#x0A;ascript:alert(1)">x</a>'],
    ['<base href>', '<base href="https://example.com/">'],
    ['<meta refresh>', '<META HTTP-EQUIV="Refresh" CONTENT="0;url=https://example.com/">'],
    ['<svg><a xlink:href>', '<svg><a xlink:href="https://example.com/">x</a></svg>'],
    ['<math href>', '<math href="https://example.com/">x</math>'],
    ['srcset with several candidates', '<img srcset="https://example.com/a.png 1x, https://evil.test/b.png 2x">'],
    ['an image from another host', '<img src=//evil.test>'],
    ['background= outside its table', '<td background=//evil.test>'],
    ['u\\rl( in CSS', '<p style="background:u\\rl(//evil.test)">x</p>'],
    ['@import', '<style>@import url(https://example.com/x.css);</style>'],
    ['image-set()', '<p style="background-image:image-set(\'https://evil.test/a.png\' 1x)">x</p>'],
    ['a custom property holding a url()', '<p style="--x:url(//evil.test)">x</p>'],
    ['a comment splitting url', '<p style="background:ur/**/l(//evil.test)">x</p>'],
    ['a protocol-relative link', '<a href="//evil.test">x</a>'],
    ['https: without slashes', '<a href="https:evil.test">x</a>'],
    ['backslashes for slashes', '<a href="https:\\\\evil.test">x</a>'],
    ['a punycode look-alike', '<a href="https://xn--exmple-cua.com/">x</a>'],
    ['an IDN look-alike', '<a href="https://exämple.com/">x</a>'],
    ['a trailing dot on an allowed host', '<a href="https://example.com./">x</a>'],
    ['userinfo', '<a href="https://example.com:443@evil.test/">x</a>'],
    ['a variable before the host ends', '<a href="https://example.com{{firstName}}">x</a>'],
    ['a variable in an unquoted attribute', '<img alt={{firstName}}>'],
    ['a URL variable as an image', '<img src="{{link}}">'],
    ['a placeholder spelled with references', '<a href="&#123;&#123;link}}">x</a>'],
    ['a duplicate attribute', '<a href="https://example.com/" href="https://evil.test/">x</a>'],
    ['an Outlook conditional comment', '<!--[if mso]><a href="https://evil.test">x</a><![endif]-->'],
    ['a host spelled with references in text', '<p>ex&#x61;mple.com.evil.test</p>'],
    ['a host split by an element', '<p>visit evil<b></b>.test</p>'],
    ['a bare IP address', '<p>1.2.3.4/x</p>'],
  ])('refuses %s', (_, html) => {
    expect(codes(html)).not.toEqual([]);
  });

  it('accepts what only looks alike: an uppercase allowed host, a backslash after the host, a mailto:, an anchor, prose', () => {
    expect(codes('<p>Ask us, e.g. by mail, i.e. not by phone.</p>')).toEqual([]);
    expect(codes('<a href="HTTPS://EXAMPLE.COM/ok">x</a> <a href="https://example.com\\@evil.test/">x</a>')).toEqual([]);
    expect(
      codes('<a href="mailto:help@example.com">m</a> <a href="#top">t</a> <a href="https://example.com/?next={{forgotLink}}">n</a>'),
    ).toEqual([]);
  });
});
