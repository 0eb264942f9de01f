// Email templates (ARCHITECTURE.md, "Email templates"): which emails there are, what each may say, and why a
// template is refused. The server renders and checks with these; the admin panel's editor lists them.

/** Every email the plugin sends, by template name. */
export const TEMPLATE_NAMES = ['reset', 'activation', 'ineligible', 'passwordChanged', 'passwordChangedByAdmin', 'emailChanged'] as const;
export type TemplateName = (typeof TEMPLATE_NAMES)[number];

/** A template's parts: the subject line, the plain-text body, the HTML body. */
export const TEMPLATE_PARTS = ['subject', 'text', 'html'] as const;
export type TemplatePart = (typeof TEMPLATE_PARTS)[number];
export type EmailTemplate = Record<TemplatePart, string>;

/** The variable holding a code's link; the emails that carry a code must use it in both bodies. */
export const LINK_VARIABLE = 'link';
export const TEMPLATES_WITH_LINK: readonly TemplateName[] = ['reset', 'activation'];

/** Variables that hold a URL the plugin builds: the only ones a link's address may be made of. */
export const URL_VARIABLES = [LINK_VARIABLE, 'forgotLink'] as const;

const COMMON = ['siteName', 'email', 'username', 'forgotLink'];
/** The variables each template may use, besides the account fields the site names (`templateFields`). */
export const TEMPLATE_VARIABLES: Record<TemplateName, readonly string[]> = {
  reset: [...COMMON, LINK_VARIABLE, 'expiresIn', 'expiresAt'],
  activation: [...COMMON, LINK_VARIABLE, 'expiresIn', 'expiresAt'],
  ineligible: COMMON,
  passwordChanged: [...COMMON, 'changedAt'],
  passwordChangedByAdmin: [...COMMON, 'changedAt'],
  emailChanged: [...COMMON, 'changedAt'],
};

/** The longest part a template may have, in characters. */
export const TEMPLATE_MAX_LENGTH: Record<TemplatePart, number> = { subject: 200, text: 20_000, html: 100_000 };

/** Why a template is refused at saving (and by the config file's validator); the admin words each. */
export const TEMPLATE_PROBLEMS = {
  empty: 'is empty',
  tooLong: 'is too long',
  multiline: 'must be one line',
  syntax: 'has a placeholder the engine does not know: only {{name}} is allowed',
  unescaped: 'inserts a value unescaped ({{{…}}} or {{&…}}): every value is escaped',
  unknownVariable: 'uses a variable this email does not have',
  missingLink: 'must contain {{link}}: this email carries a code',
  script: 'contains a script: emails cannot run code',
  hostNotAllowed: 'links to a host that is not one of the site’s own pages or allowed front ends',
  variableUrl: 'builds a link’s address from a variable other than {{link}} or {{forgotLink}}, or an image’s from any variable',
  element: 'uses an element emails may not contain',
  attribute: 'uses an attribute, or an attribute value, emails may not contain',
  comment: 'has a conditional comment, whose markup only some mail clients read',
  malformed: 'is HTML that mail clients may read differently (a parse error)',
  tooDeep: 'nests elements too deeply',
  style: 'has CSS that is refused: a backslash escape, an at-rule or function not allowed, or CSS that does not parse',
  styleVariable: 'puts a variable in CSS, whose value could change what the style loads',
  unquotedVariable: 'puts a variable in a tag outside quotes, where its value could add attributes',
  longWord: 'has a run of text without spaces that is too long to check for links',
} as const;
export type TemplateProblemCode = keyof typeof TEMPLATE_PROBLEMS;

/** One reason a template is refused: which part, why, and what in it (a variable's name, a host, …). */
export interface TemplateProblem {
  part: TemplatePart;
  code: TemplateProblemCode;
  detail?: string;
}

/** `GET /password-reset/templates`: what the editor offers. */
export interface TemplatesCatalog {
  names: readonly TemplateName[];
  locales: string[];
  defaultLocale: string;
  /** Per template, its own variables and then the account fields the site names. */
  variables: Record<TemplateName, string[]>;
}

/** `GET /password-reset/templates/:locale/:name`: the template in force, the default it replaces, whether it is the admin's. */
export interface TemplateEntry {
  name: TemplateName;
  locale: string;
  template: EmailTemplate;
  defaults: EmailTemplate;
  customized: boolean;
}

/** `POST /password-reset/templates/:locale/:name/preview`: the email as rendered with sample values, and what a save would refuse. */
export interface TemplatePreview extends EmailTemplate {
  problems: TemplateProblem[];
}

/**
 * `POST /password-reset/templates/:locale/:name/test`: the template's parts and `to`, the address the dialog named.
 * The server sends only if `to` is still the signed-in administrator's own address.
 */
export interface TemplateTestRequest extends EmailTemplate {
  to: string;
}

/** `POST /password-reset/templates/:locale/:name/test`: where the test email went. */
export interface TemplateTestSent {
  to: string;
}

/** Why a test email was not sent: the limit per administrator, or the profile's address changed since the dialog named it. */
export type TemplateTestRefusal = 'rate-limited' | 'address-changed';

/** The 409's details when `to` is no longer the administrator's address: the address the profile holds now. */
export interface TemplateTestAddressChanged {
  reason: 'address-changed';
  current: string | null;
}
