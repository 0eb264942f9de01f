// The plugin's options: typed defaults, the validator Strapi runs at boot, and `resolveConfig`.
// This file is the one source of truth for every option; the README's reference is written from it.
import { LOCALE_CODES } from '../locales';

import { TEMPLATE_NAMES, type EmailTemplate, type Purpose, type TemplateName } from '../../../shared/contracts';

export type { Purpose };

export interface RateLimitRule {
  /** Requests allowed per window. */
  points: number;
  /** Window length in seconds. */
  durationSeconds: number;
}

export interface PluginConfig {
  /** Shown in emails and on the plugin's pages. */
  siteName: string;
  /** Base URL visitors reach this Strapi at; links in emails are built from it, never from the Host header. Defaults to Strapi's `server.url`. */
  publicUrl: string | null;
  /** Your own front-end page for choosing a new password; emails then link to `<resetPageUrl>#token=<code>`. Default: the plugin's page. */
  resetPageUrl: string | null;
  /** Your own front-end page for asking for a link; used in "link expired" messages. Default: the plugin's page. */
  forgotPageUrl: string | null;
  /**
   * Front-end pages a link request may name (`redirectTo`); that email's link is then `<url>#token=<code>`.
   * A request naming any other URL is refused. Compared exactly, as written here.
   */
  redirectUrls: string[];
  /** The site's sign-in page, linked from the plugin's set-password page once the password is set. */
  loginUrl: string | null;
  /** How long a code lives, in hours, by purpose. */
  codeTtlHours: Record<Purpose, number>;
  /** users-permissions role *types* that make an account privileged or an owner. */
  roles: { privileged: string[]; owner: string[] };
  /** Serve users-permissions' `/api/auth/forgot-password` and `/api/auth/reset-password` with this plugin's codes and rules. */
  takeOverUsersPermissionsRoutes: boolean;
  /** Email an ineligible account that asked for a link that an administrator must reset it. */
  notifyIneligible: boolean;
  /** Email an account when its password was changed through a code. */
  notifyPasswordChanged: boolean;
  /** Let administrators and API tokens set a password directly (also the Content Manager's password field). */
  allowAdminSetPassword: boolean;
  /** Send an activation code when an administrator creates an account without a password. */
  sendActivationOnCreate: boolean;
  passwordPolicy: {
    minLength: number;
    /** bcrypt ignores bytes past 72, so longer passwords are refused rather than silently cut. */
    maxBytes: number;
    rejectCommon: boolean;
    /** Refuse the account's own email address, its local part, or its username. */
    rejectPersonalInfo: boolean;
  };
  email: {
    from: string | null;
    replyTo: string | null;
    /** Emails in flight at once during a bulk send. Raise it with a pooled SMTP transport that accepts more. */
    concurrency: number;
    /**
     * How long one email may take to be accepted by the mail server. Past it the send counts as a temporary
     * failure (its code revoked, retried later with a new one), and the rest of its batch is put back in the
     * queue rather than each waiting out its own deadline (ARCHITECTURE.md, "Delivery").
     */
    sendTimeoutMs: number;
  };
  /**
   * Your wording of emails in the default language (`locale.default`): any part of any template; the rest keeps
   * the shipped text (server/src/locales/). Other languages use their shipped texts.
   */
  templates: Partial<Record<TemplateName, Partial<EmailTemplate>>>;
  /**
   * Account attributes templates may use as `{{name}}` besides `email` and `username` (ARCHITECTURE.md, "Email
   * templates"): each must be a public scalar attribute of the user model, checked at boot.
   */
  templateFields: string[];
  /** The language of emails and the public pages (ARCHITECTURE.md, "Languages"). */
  locale: {
    /** The language used when neither the account nor the request names a shipped one. */
    default: string;
    /** The account attribute holding its language (`fr`, `fr-CA`, …); null when accounts have none. */
    userField: string | null;
    /** The IANA time zone dates in emails are written in. */
    timeZone: string;
  };
  /** The outbox every email goes through (ARCHITECTURE.md, "Delivery"): each Strapi instance runs a worker. */
  outbox: {
    /** Run this instance's worker. Off only for an instance that must never send (another instance must). */
    worker: boolean;
    /** Messages one worker claims at a time. */
    batchSize: number;
    /** How often an idle worker looks for work that another instance queued; work queued here wakes it at once. */
    pollIntervalMs: number;
    /** How long a claim holds; a message claimed by an instance that died is sent again after this. */
    leaseSeconds: number;
    /** Tries per message before it fails for good; a mail server's 5xx answer fails it at once. */
    attempts: number;
    /** Wait before the first retry; each further retry waits twice as long (at most an hour). */
    retryAfterSeconds: number;
    /** Finished messages and jobs are deleted after this many days. */
    keepDays: number;
    /** Delivery health warns when an email has waited longer than this (ARCHITECTURE.md, "Delivery"). */
    warnWaitingSeconds: number;
  };
  bulk: {
    /** A send naming more accounts than this runs as a job (202 and a job id); up to this, the reply carries the results. */
    inlineLimit: number;
    /** A send naming several accounts skips those sent a code within this many minutes (0: never). */
    skipRecentMinutes: number;
  };
  /** The audit log (ARCHITECTURE.md, invariant 7). */
  audit: {
    /** Rows older than this many days are deleted by a daily cron task (0: kept for ever). */
    retentionDays: number;
  };
  rateLimit: {
    enabled: boolean;
    /** Where counters live: `memory` (one process), `redis` (shared, needs `ioredis`) or `database` (shared, Strapi's own database). */
    store: 'memory' | 'redis' | 'database';
    redisUrl: string | null;
    /** Prefix of the counters' keys, so that several sites can share one Redis or database. */
    keyPrefix: string;
    forgotPerIp: RateLimitRule;
    forgotPerEmail: RateLimitRule;
    checkPerIp: RateLimitRule;
    resetPerIp: RateLimitRule;
  };
}

/** Options whose defaults are arrays. Strapi merges user config into defaults index by index,
 * so `roles.owner: []` would silently keep the default; these are filled in by `resolveConfig` instead. */
const arrayDefaults = {
  roles: { privileged: ['administrator'], owner: ['owner'] },
};

export const defaults: PluginConfig = {
  siteName: 'Strapi',
  publicUrl: null,
  resetPageUrl: null,
  forgotPageUrl: null,
  redirectUrls: [],
  loginUrl: null,
  codeTtlHours: { reset: 1, activation: 72 },
  roles: arrayDefaults.roles,
  takeOverUsersPermissionsRoutes: true,
  notifyIneligible: true,
  notifyPasswordChanged: true,
  allowAdminSetPassword: true,
  sendActivationOnCreate: false,
  passwordPolicy: { minLength: 12, maxBytes: 72, rejectCommon: true, rejectPersonalInfo: true },
  email: { from: null, replyTo: null, concurrency: 8, sendTimeoutMs: 20_000 },
  templates: {},
  templateFields: [],
  locale: { default: 'en', userField: 'locale', timeZone: 'UTC' },
  outbox: {
    worker: true,
    batchSize: 200,
    pollIntervalMs: 1000,
    leaseSeconds: 300,
    attempts: 5,
    retryAfterSeconds: 30,
    keepDays: 30,
    warnWaitingSeconds: 300,
  },
  bulk: { inlineLimit: 100, skipRecentMinutes: 10 },
  audit: { retentionDays: 365 },
  rateLimit: {
    enabled: true,
    store: 'memory',
    redisUrl: null,
    keyPrefix: 'password-reset',
    forgotPerIp: { points: 20, durationSeconds: 3600 },
    forgotPerEmail: { points: 3, durationSeconds: 3600 },
    checkPerIp: { points: 60, durationSeconds: 600 },
    resetPerIp: { points: 20, durationSeconds: 600 },
  },
};

type Check = (value: unknown) => string | null;

const isPositive: Check = (v) => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? null : 'must be a positive number');
const isPositiveInteger: Check = (v) => (Number.isInteger(v) && (v as number) > 0 ? null : 'must be a positive whole number');
const isNonNegative: Check = (v) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? null : 'must be zero or a positive number');
const isBoolean: Check = (v) => (typeof v === 'boolean' ? null : 'must be true or false');
const isText: Check = (v) => (typeof v === 'string' && v.length > 0 ? null : 'must be a non-empty string');
const isOptionalText: Check = (v) => (v === null || typeof v === 'string' ? null : 'must be a string or null');
const isOptionalUrl: Check = (v) => {
  if (v === null) return null;
  if (typeof v !== 'string') return 'must be an absolute http(s) URL or null';
  try {
    const url = new URL(v);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must use http or https';
    if (url.search || url.hash) return 'must not contain a query string or a fragment';
    return null;
  } catch {
    return 'must be an absolute http(s) URL or null';
  }
};
const isUrlList: Check = (v) => {
  if (!Array.isArray(v)) return 'must be an array of absolute http(s) URLs';
  for (const [index, item] of v.entries()) {
    const problem = item === null ? 'must be an absolute http(s) URL' : isOptionalUrl(item);
    if (problem) return `item ${index + 1} ${problem}`;
  }
  return null;
};
const isRoleList: Check = (v) =>
  Array.isArray(v) && v.every((item) => typeof item === 'string' && item.length > 0) ? null : 'must be an array of role types (strings)';
const isNameList: Check = (v) =>
  Array.isArray(v) && v.every((item) => typeof item === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(item))
    ? null
    : 'must be an array of attribute names';
const oneOf =
  (...allowed: string[]): Check =>
  (v) =>
    typeof v === 'string' && allowed.includes(v) ? null : `must be one of ${allowed.join(', ')}`;

const rateRule = { points: isPositiveInteger, durationSeconds: isPositiveInteger };
const template = { subject: isText, text: isText, html: isText };
const isTimeZone: Check = (v) => {
  const problem = 'must be an IANA time zone, such as UTC or Europe/Paris';
  if (typeof v !== 'string' || !v) return problem;
  try {
    new Intl.DateTimeFormat('en', { timeZone: v });
    return null;
  } catch {
    return problem; // a RangeError: no such zone
  }
};

/** The shape every option must have; a key missing here is an unknown option. */
type Shape = { [key: string]: Check | Shape };
const shape: Shape = {
  siteName: isText,
  publicUrl: isOptionalUrl,
  resetPageUrl: isOptionalUrl,
  forgotPageUrl: isOptionalUrl,
  redirectUrls: isUrlList,
  loginUrl: isOptionalUrl,
  codeTtlHours: { reset: isPositive, activation: isPositive },
  roles: { privileged: isRoleList, owner: isRoleList },
  takeOverUsersPermissionsRoutes: isBoolean,
  notifyIneligible: isBoolean,
  notifyPasswordChanged: isBoolean,
  allowAdminSetPassword: isBoolean,
  sendActivationOnCreate: isBoolean,
  passwordPolicy: {
    minLength: isPositiveInteger,
    maxBytes: isPositiveInteger,
    rejectCommon: isBoolean,
    rejectPersonalInfo: isBoolean,
  },
  email: { from: isOptionalText, replyTo: isOptionalText, concurrency: isPositiveInteger, sendTimeoutMs: isPositiveInteger },
  templates: Object.fromEntries(TEMPLATE_NAMES.map((name) => [name, template])),
  templateFields: isNameList,
  locale: { default: oneOf(...LOCALE_CODES), userField: isOptionalText, timeZone: isTimeZone },
  outbox: {
    worker: isBoolean,
    batchSize: isPositiveInteger,
    pollIntervalMs: isPositiveInteger,
    leaseSeconds: isPositive,
    attempts: isPositiveInteger,
    retryAfterSeconds: isPositive,
    keepDays: isPositive,
    warnWaitingSeconds: isPositive,
  },
  bulk: { inlineLimit: isPositiveInteger, skipRecentMinutes: isNonNegative },
  audit: { retentionDays: isNonNegative },
  rateLimit: {
    enabled: isBoolean,
    store: oneOf('memory', 'redis', 'database'),
    redisUrl: isOptionalText,
    keyPrefix: isText,
    forgotPerIp: rateRule,
    forgotPerEmail: rateRule,
    checkPerIp: rateRule,
    resetPerIp: rateRule,
  },
};

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every problem in `value`, as "option.path: what is wrong". Missing options are fine: defaults fill them. */
export function findConfigProblems(value: unknown, spec: Shape = shape, prefix = ''): string[] {
  if (!isPlainObject(value)) return [`${prefix || 'config'}: must be an object`];
  const problems: string[] = [];
  for (const [key, child] of Object.entries(value)) {
    const path = prefix ? `${prefix}.${key}` : key;
    const rule = spec[key];
    if (rule === undefined) {
      problems.push(`${path}: unknown option`);
    } else if (child === undefined) {
      continue;
    } else if (typeof rule === 'function') {
      const problem = rule(child);
      if (problem) problems.push(`${path}: ${problem}`);
    } else {
      problems.push(...findConfigProblems(child, rule, path));
    }
  }
  return problems;
}

/** Every problem of a whole config (the file's, or the file's with stored settings over it), across options too. */
export function configProblems(config: unknown): string[] {
  const problems = findConfigProblems(config);
  const given = ((isPlainObject(config) ? config : {}) as Partial<PluginConfig>).passwordPolicy;
  const passwordPolicy = { ...defaults.passwordPolicy, ...given };
  if (passwordPolicy.minLength > passwordPolicy.maxBytes) {
    problems.push('passwordPolicy.minLength: must not be greater than passwordPolicy.maxBytes');
  }
  // A send starts only while its batch's claim will outlast its deadline, and the claim is renewed every third of
  // the lease (ARCHITECTURE.md, "Delivery"): a deadline longer than that would stop every batch.
  const leaseSeconds = (isPlainObject(config) && (config as Partial<PluginConfig>).outbox?.leaseSeconds) || defaults.outbox.leaseSeconds;
  const sendTimeoutMs = (isPlainObject(config) && (config as Partial<PluginConfig>).email?.sendTimeoutMs) || defaults.email.sendTimeoutMs;
  if (typeof leaseSeconds === 'number' && typeof sendTimeoutMs === 'number' && sendTimeoutMs * 3 > leaseSeconds * 1000) {
    problems.push('email.sendTimeoutMs: must be at most a third of outbox.leaseSeconds');
  }
  return problems;
}

export function validateConfig(config: unknown): void {
  const problems = configProblems(config);
  if (problems.length > 0) {
    throw new Error(`Invalid configuration of plugin "password-reset":\n  - ${problems.join('\n  - ')}`);
  }
}

/** The merged config as the rest of the plugin reads it, with array defaults applied. */
export function resolveConfig(merged: Partial<PluginConfig>): PluginConfig {
  return {
    ...(merged as PluginConfig),
    roles: {
      privileged: merged.roles?.privileged ?? arrayDefaults.roles.privileged,
      owner: merged.roles?.owner ?? arrayDefaults.roles.owner,
    },
  };
}

export default {
  // Arrays are left out of Strapi's merge (see `arrayDefaults`).
  default: () => ({ ...defaults, roles: {} }),
  validator: validateConfig,
};
