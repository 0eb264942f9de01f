// Email templates (ARCHITECTURE.md, "Email templates"): the wording in force per template and language — the
// administrator's, saved in the plugin store from Settings → Password reset emails, else the site's default (the
// shipped text, with the config file's `templates` over it in the default language) — and the one check a
// template must pass before it is used: `templateProblems` with this site's variables and hosts.
import { createHash } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { getConfig, getPluginService, PLUGIN_ID, siteUrl, USER_UID } from '../utils/plugin';
import type { Actor } from '../utils/actor';
import { boundedCache } from '../utils/bounded-cache';
import { LOCALES, LOCALE_CODES } from '../locales';
import { templateProblems, type TemplateRules } from '../domain/templates';
import {
  TEMPLATE_NAMES,
  TEMPLATE_PARTS,
  TEMPLATE_PROBLEMS,
  TEMPLATE_VARIABLES,
  type EmailTemplate,
  type TemplateEntry,
  type TemplateName,
  type TemplateProblem,
  type TemplatesCatalog,
} from '../../../shared/contracts';

const STORE_KEY = 'templates';
type Stored = Record<string, Partial<Record<TemplateName, EmailTemplate>>>;

/** Attribute types whose value can be written into an email as text. */
const WRITABLE_TYPES = [
  'string',
  'text',
  'email',
  'uid',
  'enumeration',
  'integer',
  'biginteger',
  'float',
  'decimal',
  'boolean',
  'date',
  'datetime',
  'time',
];

const isTemplate = (value: unknown): value is EmailTemplate =>
  typeof value === 'object' &&
  value !== null &&
  TEMPLATE_PARTS.every((part) => typeof (value as Record<string, unknown>)[part] === 'string');

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * What a `template.changed` audit row says: which parts changed, what each changed part became, and a SHA-256 of
 * every part before and after, so that a reviewer sees a link that was added and can match a part to a copy.
 */
const changeDetails = (template: TemplateName, locale: string, before: EmailTemplate, after: EmailTemplate) => {
  const changed = TEMPLATE_PARTS.filter((part) => before[part] !== after[part]);
  return {
    template,
    locale,
    changed,
    now: Object.fromEntries(changed.map((part) => [part, after[part]])),
    sha256: Object.fromEntries(TEMPLATE_PARTS.map((part) => [part, { before: sha256(before[part]), after: sha256(after[part]) }])),
  };
};

/** A problem as a sentence: "html links to a host …: https://evil.test". */
export const describeProblem = ({ part, code, detail }: TemplateProblem) =>
  `${part} ${TEMPLATE_PROBLEMS[code]}${detail ? `: ${detail}` : ''}`;

const templatesService = ({ strapi }: { strapi: Core.Strapi }) => {
  const store = () => strapi.store({ type: 'plugin', name: PLUGIN_ID });
  let stored: Stored = {};
  /** The rules of each email, by what they are made of (`rules`): the same settings give the same object. */
  const rulesBySource = boundedCache<TemplateRules>(64);
  /**
   * The verdict on each template, by a hash of what it is made of: the email, its parts and the rules. The refresh
   * of settings every 30 s reads the stored templates into new objects; their content is the same, so they are not
   * checked again (ARCHITECTURE.md, "Email templates").
   */
  const verdicts = boundedCache<TemplateProblem[]>(256);
  /** The same verdict again for the same template object, without hashing it before each email. */
  const verdictOf = new WeakMap<EmailTemplate, { rules: TemplateRules; problems: TemplateProblem[] }>();
  const warned = new Set<string>();
  /** The config file's wording laid over the shipped one, kept while the file's entry is the same object. */
  const merged = new Map<string, { over: Partial<EmailTemplate>; template: EmailTemplate }>();

  /** The template and language a route names, or a 404. */
  const known = (locale: string, name: string): TemplateName => {
    if (!LOCALE_CODES.includes(locale) || !(TEMPLATE_NAMES as readonly string[]).includes(name)) {
      throw new errors.NotFoundError(`There is no email template "${name}" in "${locale}".`);
    }
    return name as TemplateName;
  };

  const refuse = (problems: TemplateProblem[]) => {
    const messages = problems.map(describeProblem);
    throw new errors.ValidationError(messages.join('; '), {
      problems,
      errors: problems.map((problem, index) => ({ path: [problem.part], message: messages[index] })),
    });
  };

  return {
    /** Reads the administrators' templates into memory; the refresh of settings calls it again (ARCHITECTURE.md, "Settings"). */
    async load() {
      const value = (await store().get({ key: STORE_KEY })) as Stored | null;
      const next: Stored = {};
      for (const [locale, byName] of Object.entries(value ?? {})) {
        if (!LOCALE_CODES.includes(locale) || typeof byName !== 'object' || byName === null) continue;
        for (const name of TEMPLATE_NAMES) if (isTemplate(byName[name])) (next[locale] ??= {})[name] = byName[name];
      }
      stored = next;
      // Checked here, off the path of an email, once per content: the next refresh finds the same verdicts.
      for (const byName of Object.values(next)) {
        for (const [name, template] of Object.entries(byName) as Array<[TemplateName, EmailTemplate]>)
          this.verdict(name, template, this.rules(name));
      }
    },

    /**
     * At boot: the account fields the site names must be public attributes that read as text, and the config
     * file's templates must pass the same check as a save. Either problem stops Strapi with its reasons.
     */
    checkConfig() {
      const { templateFields, templates, locale } = getConfig(strapi);
      const attributes = strapi.contentType(USER_UID).attributes as Record<string, { type: string; private?: boolean }>;
      const builtIn = new Set(Object.values(TEMPLATE_VARIABLES).flat());
      const problems: string[] = [];
      for (const field of templateFields) {
        const attribute = attributes[field];
        if (builtIn.has(field)) problems.push(`templateFields: ${field} is already a template variable`);
        else if (!attribute) problems.push(`templateFields: the user model has no attribute ${field}`);
        else if (attribute.private || !WRITABLE_TYPES.includes(attribute.type)) {
          problems.push(`templateFields: ${field} is private or not a text, number, date or choice, so it cannot go in an email`);
        }
      }
      for (const name of Object.keys(templates) as TemplateName[]) {
        for (const problem of this.problems(name, this.defaults(name, locale.default))) {
          problems.push(`templates.${name}.${describeProblem(problem)}`);
        }
      }
      if (problems.length > 0) throw new Error(`Invalid configuration of plugin "password-reset":\n  - ${problems.join('\n  - ')}`);
    },

    /** The site's default wording: the shipped text, with the config file's `templates` over it in the default language. */
    defaults(name: TemplateName, locale: string): EmailTemplate {
      const config = getConfig(strapi);
      const shipped = (LOCALES[locale] ?? LOCALES[config.locale.default]).templates[name];
      const over = locale === config.locale.default ? config.templates[name] : undefined;
      if (!over) return shipped;
      const key = `${locale}:${name}`;
      if (merged.get(key)?.over !== over) merged.set(key, { over, template: { ...shipped, ...over } });
      return merged.get(key)?.template as EmailTemplate;
    },

    /**
     * The template an email is written with: the administrator's, else the site's default, each only while it
     * passes the check under today's settings (a front end taken off the allow-list since the save makes its
     * links refused); else the shipped wording.
     */
    inForce(name: TemplateName, locale: string): EmailTemplate {
      const rules = this.rules(name);
      for (const template of [stored[locale]?.[name], this.defaults(name, locale)]) {
        if (!template) continue;
        const problems = this.verdict(name, template, rules);
        if (problems.length === 0) return template;
        const key = `${locale}|${name}|${sha256(JSON.stringify(template))}`;
        if (!warned.has(key)) {
          if (warned.size >= 256) warned.clear();
          warned.add(key);
          strapi.log.warn(`[password-reset] the ${locale} "${name}" template is not used: ${problems.map(describeProblem).join('; ')}`);
        }
      }
      return (LOCALES[locale] ?? LOCALES[getConfig(strapi).locale.default]).templates[name];
    },

    /** The variables a template may use: its own, then the account fields the site names. */
    variables(name: TemplateName): string[] {
      return [...TEMPLATE_VARIABLES[name], ...getConfig(strapi).templateFields];
    },

    /** What a template of this email is checked against: its variables, and the hosts of the site's own pages. */
    rules(name: TemplateName): TemplateRules {
      const { resetPageUrl, forgotPageUrl, loginUrl, redirectUrls, templateFields } = getConfig(strapi);
      const urls = [siteUrl(strapi), resetPageUrl, forgotPageUrl, loginUrl, ...redirectUrls];
      return rulesBySource(JSON.stringify([name, templateFields, urls]), () => {
        const hosts = urls.flatMap((url) => {
          try {
            return url ? [new URL(url).hostname.toLowerCase()] : [];
          } catch {
            return [];
          }
        });
        return { variables: this.variables(name), allowedHosts: [...new Set(hosts)] };
      });
    },

    problems(name: TemplateName, template: EmailTemplate): TemplateProblem[] {
      return this.verdict(name, template, this.rules(name));
    },

    /** `templateProblems`, once per template content and rules (see `verdicts`). */
    verdict(name: TemplateName, template: EmailTemplate, rules: TemplateRules): TemplateProblem[] {
      const known = verdictOf.get(template);
      if (known?.rules === rules) return known.problems;
      const key = sha256(JSON.stringify([name, rules.variables, rules.allowedHosts, template.subject, template.text, template.html]));
      const problems = verdicts(key, () => templateProblems(name, template, rules));
      verdictOf.set(template, { rules, problems });
      return problems;
    },

    catalog(): TemplatesCatalog {
      return {
        names: TEMPLATE_NAMES,
        locales: LOCALE_CODES,
        defaultLocale: getConfig(strapi).locale.default,
        variables: Object.fromEntries(TEMPLATE_NAMES.map((name) => [name, this.variables(name)])) as TemplatesCatalog['variables'],
      };
    },

    entry(locale: string, name: string): TemplateEntry {
      const template = known(locale, name);
      return {
        name: template,
        locale,
        template: this.inForce(template, locale),
        defaults: this.defaults(template, locale),
        customized: Boolean(stored[locale]?.[template]),
      };
    },

    /** A template as sent in a request body, or a 400: the three parts, each a string. */
    read(locale: string, name: string, body: unknown): { name: TemplateName; template: EmailTemplate } {
      const template = known(locale, name);
      if (!isTemplate(body)) {
        const missing = TEMPLATE_PARTS.filter((part) => typeof (body as Record<string, unknown> | null)?.[part] !== 'string');
        throw new errors.ValidationError(`A template needs ${TEMPLATE_PARTS.join(', ')} as text.`, {
          errors: missing.map((part) => ({ path: [part], message: `${part} must be text` })),
        });
      }
      return { name: template, template: { subject: body.subject, text: body.text, html: body.html } };
    },

    /** Checks a template and stores it for its email and language, audited in the same transaction; a 400 with every problem, and nothing stored, otherwise. */
    async save(locale: string, name: string, body: unknown, actor: Actor): Promise<TemplateEntry> {
      const { name: template, template: value } = this.read(locale, name, body);
      const problems = this.problems(template, value);
      if (problems.length > 0) refuse(problems);
      const before = this.inForce(template, locale);
      await this.load(); // another instance may have saved another template since the last refresh
      const next: Stored = { ...stored, [locale]: { ...stored[locale], [template]: value } };
      await strapi.db.transaction(async () => {
        await store().set({ key: STORE_KEY, value: next });
        await getPluginService(strapi, 'audit').record({
          action: 'template.changed',
          actor,
          details: changeDetails(template, locale, before, value),
        });
      });
      stored = next;
      return this.entry(locale, template);
    },

    /** Goes back to the site's default wording for this email and language. */
    async reset(locale: string, name: string, actor: Actor): Promise<TemplateEntry> {
      const template = known(locale, name);
      await this.load();
      if (stored[locale]?.[template]) {
        const rest = Object.fromEntries(Object.entries(stored[locale] ?? {}).filter(([key]) => key !== template));
        const next: Stored = { ...stored, [locale]: rest };
        await strapi.db.transaction(async () => {
          await store().set({ key: STORE_KEY, value: next });
          await getPluginService(strapi, 'audit').record({ action: 'template.reset', actor, details: { template, locale } });
        });
        stored = next;
      }
      return this.entry(locale, template);
    },

    /** A 400 with every problem when this template may not be used. */
    assertUsable(name: TemplateName, template: EmailTemplate) {
      const problems = this.problems(name, template);
      if (problems.length > 0) refuse(problems);
    },
  };
};

export type TemplatesService = ReturnType<typeof templatesService>;
export default templatesService;
