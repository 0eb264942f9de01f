// The plugin's options as one schema (zod): defaults, bounds, error messages and the TypeScript types, used by the
// validator Strapi runs on the config file at boot and by the Settings route alike. The README's reference is
// written from it; the bounds of the options the Settings page edits come from shared/contracts/settings.ts.
import { z } from 'zod';
import { LOCALE_CODES } from '../locales';

import {
  BCRYPT_MAX_BYTES,
  MIN_PASSWORD_LENGTH,
  readableDuration,
  settingBounds,
  TEMPLATE_NAMES,
  TEMPLATE_PARTS,
  type NumberBounds,
  type Purpose,
} from '../../../shared/contracts';

export type { Purpose };

type Bounds = Pick<NumberBounds, 'min' | 'max' | 'integer'> & { unit?: NumberBounds['unit'] };

/**
 * Every numeric option's least and greatest value, by path. Each keeps the plugin working: the dates computed from
 * them (a code's expiry, a lease, a retry, a rate-limit window, the purges' cut-offs) stay between 1970 and 9999
 * on every database, and the intervals stay below Node's timer limit (2^31 - 1 ms).
 */
export const NUMBER_BOUNDS = {
  'codeTtlHours.reset': settingBounds('codeTtlHours.reset'),
  'codeTtlHours.activation': settingBounds('codeTtlHours.activation'),
  'passwordPolicy.minLength': settingBounds('passwordPolicy.minLength'),
  'passwordPolicy.maxBytes': { min: MIN_PASSWORD_LENGTH, max: BCRYPT_MAX_BYTES, integer: true },
  // Emails in flight at once, each an SMTP connection or a pooled one's turn: 100 is past what mail servers accept.
  'email.concurrency': { min: 1, max: 100, integer: true },
  // A deadline under a tenth of a second fails healthy mail servers; past two minutes a hung one holds every email.
  'email.sendTimeoutMs': { min: 100, max: 120_000, integer: true },
  'outbox.batchSize': { min: 1, max: 1000, integer: true },
  'outbox.pollIntervalMs': { min: 100, max: 3_600_000, integer: true },
  'outbox.leaseSeconds': { min: 1, max: 3600, integer: false },
  'outbox.attempts': { min: 1, max: 20, integer: true },
  'outbox.retryAfterSeconds': { min: 0.1, max: 3600, integer: false },
  'outbox.keepDays': { min: 1, max: 3650, integer: false },
  'outbox.warnWaitingSeconds': { min: 1, max: 7 * 24 * 3600, integer: false },
  // An inline send answers once every email is sent, in the administrator's request; a larger send belongs in a job.
  'bulk.inlineLimit': { min: 1, max: 1000, integer: true },
  'bulk.skipRecentMinutes': { min: 0, max: 7 * 24 * 60, integer: false },
  'audit.retentionDays': { min: 0, max: 3650, integer: false },
  // Below 10 ms a healthy Redis on another host counts as down; past 10 s a stalled one holds visitors' requests.
  'rateLimit.redisTimeoutMs': { min: 10, max: 10_000, integer: true },
  ...rateLimitBounds('forgotPerIp'),
  ...rateLimitBounds('forgotPerEmail'),
  ...rateLimitBounds('checkPerIp'),
  ...rateLimitBounds('resetPerIp'),
} satisfies Record<string, Bounds>;

function rateLimitBounds<Rule extends string>(rule: Rule) {
  return {
    [`rateLimit.${rule}.points`]: { min: 1, max: 1_000_000, integer: true },
    [`rateLimit.${rule}.durationSeconds`]: { min: 1, max: 86_400, integer: true },
  } as Record<`rateLimit.${Rule}.points` | `rateLimit.${Rule}.durationSeconds`, Bounds>;
}

type NumberPath = keyof typeof NUMBER_BOUNDS;

/** A bound as a message writes it: to 4 decimals, rounded inwards, so that the number shown is itself accepted. */
function shown(value: number, towards: 'up' | 'down'): string {
  const round = towards === 'up' ? Math.ceil : Math.floor;
  return String(round(value * 10_000) / 10_000);
}

const plural = ({ value, unit }: { value: number; unit: string }) => `${value} ${unit}${value === 1 ? '' : 's'}`;

/** "must be a whole number from 1 to 1000", "must be a number of hours from 0.0834 to 24 (5 minutes to 24 hours)". */
function rangeMessage({ min, max, integer, unit }: Bounds): string {
  const kind = `${integer ? 'a whole number' : 'a number'}${unit ? ` of ${unit}s` : ''}`;
  const range = `from ${shown(min, 'up')} to ${shown(max, 'down')}`;
  const readable = unit === 'hour' ? ` (${plural(readableDuration(min))} to ${plural(readableDuration(max))})` : '';
  return `must be ${kind} ${range}${readable}`;
}

/** A number within its bounds (zod refuses NaN and ±Infinity as numbers); one message, whatever is wrong. */
function bounded(path: NumberPath, fallback: number) {
  const bounds: Bounds = NUMBER_BOUNDS[path];
  const error = rangeMessage(bounds);
  const number = z.number({ error });
  return (bounds.integer ? number.int({ error }) : number).min(bounds.min, { error }).max(bounds.max, { error }).default(fallback);
}

const flag = (fallback: boolean) => z.boolean({ error: 'must be true or false' }).default(fallback);
const text = z.string({ error: 'must be a non-empty string' }).min(1, { error: 'must be a non-empty string' });
const optionalText = z.string({ error: 'must be a string or null' }).nullable().default(null);

/** An absolute http(s) URL without query or fragment (a token rides in the fragment), as the WHATWG parser reads it. */
const httpUrl = z.string({ error: 'must be an absolute http(s) URL' }).superRefine((value, context) => {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    context.addIssue({ code: 'custom', message: 'must be an absolute http(s) URL' });
    return;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') context.addIssue({ code: 'custom', message: 'must use http or https' });
  else if (url.search || url.hash) context.addIssue({ code: 'custom', message: 'must not contain a query string or a fragment' });
});
const optionalUrl = z.union([z.null(), httpUrl], { error: 'must be an absolute http(s) URL or null' }).default(null);

const roleList = (fallback: string[]) => {
  const error = 'must be an array of role types (strings)';
  return z.array(z.string({ error }).min(1, { error }), { error }).default(fallback);
};

const timeZone = z.string().refine(
  (zone) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone });
      return true;
    } catch {
      return false; // a RangeError: no such zone
    }
  },
  { error: 'must be an IANA time zone, such as UTC or Europe/Paris' },
);

const rateRule = (path: 'forgotPerIp' | 'forgotPerEmail' | 'checkPerIp' | 'resetPerIp', points: number, durationSeconds: number) =>
  z
    .strictObject({
      /** Requests allowed per window. */
      points: bounded(`rateLimit.${path}.points`, points),
      /** Window length in seconds. */
      durationSeconds: bounded(`rateLimit.${path}.durationSeconds`, durationSeconds),
    })
    .prefault({});

/** One email's wording: any part may be given; the rest keeps the shipped text. */
const template = z
  .strictObject(
    Object.fromEntries(TEMPLATE_PARTS.map((part) => [part, text.optional()])) as Record<
      (typeof TEMPLATE_PARTS)[number],
      z.ZodOptional<typeof text>
    >,
  )
  .optional();

/** Each option's group, and the options themselves; a key missing here is an unknown option. */
const schema = z
  .strictObject({
    /** Shown in emails and on the plugin's pages. */
    siteName: text.default('Strapi'),
    /** Base URL visitors reach this Strapi at; links in emails are built from it, never from the Host header. Defaults to Strapi's `server.url`. */
    publicUrl: optionalUrl,
    /** Your own front-end page for choosing a new password; emails then link to `<resetPageUrl>#token=<code>`. Default: the plugin's page. */
    resetPageUrl: optionalUrl,
    /** Your own front-end page for asking for a link; used in "link expired" messages. Default: the plugin's page. */
    forgotPageUrl: optionalUrl,
    /**
     * Front-end pages a link request may name (`redirectTo`); that email's link is then `<url>#token=<code>`.
     * A request naming any other URL is refused. Compared exactly, as written here.
     */
    redirectUrls: z.array(httpUrl, { error: 'must be an array of absolute http(s) URLs' }).default([]),
    /** The site's sign-in page, linked from the plugin's set-password page once the password is set. */
    loginUrl: optionalUrl,
    /** How long a code lives, in hours, by purpose. */
    codeTtlHours: z
      .strictObject({
        reset: bounded('codeTtlHours.reset', 1),
        activation: bounded('codeTtlHours.activation', 72),
      } satisfies Record<Purpose, unknown>)
      .prefault({}),
    /** users-permissions role *types* that make an account privileged or an owner. */
    roles: z.strictObject({ privileged: roleList(['administrator']), owner: roleList(['owner']) }).prefault({}),
    /** Serve users-permissions' `/api/auth/forgot-password` and `/api/auth/reset-password` with this plugin's codes and rules. */
    takeOverUsersPermissionsRoutes: flag(true),
    /** Email an ineligible account that asked for a link that an administrator must reset it. */
    notifyIneligible: flag(true),
    /** Email an account when its password was changed through a code. */
    notifyPasswordChanged: flag(true),
    /** Let administrators and API tokens set a password directly (also the Content Manager's password field). */
    allowAdminSetPassword: flag(true),
    /** Send an activation code when an administrator creates an account without a password. */
    sendActivationOnCreate: flag(false),
    passwordPolicy: z
      .strictObject({
        minLength: bounded('passwordPolicy.minLength', 12),
        /** bcrypt ignores bytes past 72, so longer passwords are refused rather than silently cut. */
        maxBytes: bounded('passwordPolicy.maxBytes', BCRYPT_MAX_BYTES),
        rejectCommon: flag(true),
        /** Refuse the account's own email address, its local part, or its username. */
        rejectPersonalInfo: flag(true),
        /** Hold code running outside any request (seed scripts, migrations, the console) to the policy too; off: the site's own code is trusted. */
        applyOutsideRequests: flag(false),
      })
      .prefault({}),
    email: z
      .strictObject({
        from: optionalText,
        replyTo: optionalText,
        /** Emails in flight at once during a bulk send. Raise it with a pooled SMTP transport that accepts more. */
        concurrency: bounded('email.concurrency', 8),
        /**
         * How long one email may take to be accepted by the mail server. Past it the send counts as a temporary
         * failure (its code revoked, retried later with a new one), and the rest of its batch is put back in the
         * queue rather than each waiting out its own deadline (ARCHITECTURE.md, "Delivery").
         */
        sendTimeoutMs: bounded('email.sendTimeoutMs', 20_000),
      })
      .prefault({}),
    /**
     * Your wording of emails in the default language (`locale.default`): any part of any template; the rest keeps
     * the shipped text (server/src/locales/). Other languages use their shipped texts.
     */
    templates: z
      .strictObject(
        Object.fromEntries(TEMPLATE_NAMES.map((name) => [name, template])) as Record<(typeof TEMPLATE_NAMES)[number], typeof template>,
      )
      .default({}),
    /**
     * Account attributes templates may use as `{{name}}` besides `email` and `username` (ARCHITECTURE.md, "Email
     * templates"): each must be a public scalar attribute of the user model, checked at boot.
     */
    templateFields: z
      .array(z.string({ error: 'must be an attribute name' }).regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: 'must be an attribute name' }), {
        error: 'must be an array of attribute names',
      })
      .default([]),
    /** The language of emails and the public pages (ARCHITECTURE.md, "Languages"). */
    locale: z
      .strictObject({
        /** The language used when neither the account nor the request names a shipped one. */
        default: z.enum(LOCALE_CODES as [string, ...string[]], { error: `must be one of ${LOCALE_CODES.join(', ')}` }).default('en'),
        /** The account attribute holding its language (`fr`, `fr-CA`, …); null when accounts have none. */
        userField: z.string({ error: 'must be a string or null' }).nullable().default('locale'),
        /** The IANA time zone dates in emails are written in. */
        timeZone: timeZone.default('UTC'),
      })
      .prefault({}),
    /** The outbox every email goes through (ARCHITECTURE.md, "Delivery"): each Strapi instance runs a worker. */
    outbox: z
      .strictObject({
        /** Run this instance's worker. Off only for an instance that must never send (another instance must). */
        worker: flag(true),
        /** Messages one worker claims at a time. */
        batchSize: bounded('outbox.batchSize', 200),
        /** How often an idle worker looks for work that another instance queued; work queued here wakes it at once. */
        pollIntervalMs: bounded('outbox.pollIntervalMs', 1000),
        /** How long a claim holds; a message claimed by an instance that died is sent again after this. */
        leaseSeconds: bounded('outbox.leaseSeconds', 300),
        /** Tries per message before it fails for good; a mail server's 5xx answer fails it at once. */
        attempts: bounded('outbox.attempts', 5),
        /** Wait before the first retry; each further retry waits twice as long (at most an hour). */
        retryAfterSeconds: bounded('outbox.retryAfterSeconds', 30),
        /** Finished messages and jobs are deleted after this many days. */
        keepDays: bounded('outbox.keepDays', 30),
        /** Delivery health warns when an email has waited longer than this (ARCHITECTURE.md, "Delivery"). */
        warnWaitingSeconds: bounded('outbox.warnWaitingSeconds', 300),
      })
      .prefault({}),
    bulk: z
      .strictObject({
        /** A send naming more accounts than this runs as a job (202 and a job id); up to this, the reply carries the results. */
        inlineLimit: bounded('bulk.inlineLimit', 100),
        /** A send naming several accounts skips those sent a code within this many minutes (0: never). */
        skipRecentMinutes: bounded('bulk.skipRecentMinutes', 10),
      })
      .prefault({}),
    /** The audit log (ARCHITECTURE.md, invariant 7). */
    audit: z
      .strictObject({
        /** Rows older than this many days are deleted by a daily cron task (0: kept for ever). */
        retentionDays: bounded('audit.retentionDays', 365),
      })
      .prefault({}),
    rateLimit: z
      .strictObject({
        enabled: flag(true),
        /** Where counters live: `memory` (one process), `redis` (shared, needs `ioredis`) or `database` (shared, Strapi's own database). */
        store: z.enum(['memory', 'redis', 'database'], { error: 'must be one of memory, redis, database' }).default('memory'),
        redisUrl: optionalText,
        /**
         * The deadline of every call to Redis (connecting included): a Redis that stalls or refuses delays the public
         * routes by at most this (ARCHITECTURE.md, "Rate limits").
         */
        redisTimeoutMs: bounded('rateLimit.redisTimeoutMs', 300),
        /** While Redis cannot be reached: `memory` (each instance counts in its own memory) or `refuse` (503 with Retry-After). */
        whenStoreDown: z.enum(['memory', 'refuse'], { error: 'must be one of memory, refuse' }).default('memory'),
        /** Prefix of the counters' keys, so that several sites can share one Redis or database. */
        keyPrefix: text.default('password-reset'),
        forgotPerIp: rateRule('forgotPerIp', 20, 3600),
        forgotPerEmail: rateRule('forgotPerEmail', 3, 3600),
        checkPerIp: rateRule('checkPerIp', 60, 600),
        resetPerIp: rateRule('resetPerIp', 20, 600),
      })
      .prefault({}),
  })
  .superRefine((config, context) => {
    if (config.passwordPolicy.minLength > config.passwordPolicy.maxBytes) {
      context.addIssue({
        code: 'custom',
        path: ['passwordPolicy', 'minLength'],
        message: 'must not be greater than passwordPolicy.maxBytes',
      });
    }
    // An email starts only while its batch's claim will outlast its deadline, and the claim is renewed every third
    // of the lease (ARCHITECTURE.md, "Delivery"): a longer deadline would stop every batch.
    const lease = config.outbox.leaseSeconds;
    if (lease >= NUMBER_BOUNDS['outbox.leaseSeconds'].min && config.email.sendTimeoutMs * 3 > lease * 1000) {
      context.addIssue({ code: 'custom', path: ['email', 'sendTimeoutMs'], message: 'must be at most a third of outbox.leaseSeconds' });
    }
  });

export type PluginConfig = z.output<typeof schema>;
export type RateLimitRule = PluginConfig['rateLimit']['forgotPerIp'];

/** Every option's default: the schema's reading of an empty config. */
export const defaults: PluginConfig = schema.parse({});

/** One problem: the option's dotted path, and what it must be. */
export interface ConfigProblem {
  path: string;
  message: string;
}

/**
 * Every problem of a whole config (the file's, or the file's with stored settings over it), one per option, each
 * naming the option's path. Missing options are fine: defaults fill them.
 */
export function configIssues(config: unknown): ConfigProblem[] {
  const result = schema.safeParse(config);
  if (result.success) return [];
  const problems: ConfigProblem[] = [];
  for (const issue of result.error.issues) {
    const names = issue.path.filter((part) => typeof part === 'string');
    const item = issue.path.find((part) => typeof part === 'number');
    const path = names.join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) problems.push({ path: path ? `${path}.${key}` : key, message: 'unknown option' });
    } else if (issue.code === 'invalid_type' && issue.expected === 'object') {
      problems.push({ path: path || 'config', message: 'must be an object' });
    } else if (!problems.some((problem) => problem.path === path)) {
      // One message an option: the rule across minLength and maxBytes says nothing new of a minLength already refused.
      problems.push({ path, message: item === undefined ? issue.message : `item ${item + 1} ${issue.message}` });
    }
  }
  return problems;
}

/** Every problem, as "option.path: what is wrong". */
export function configProblems(config: unknown): string[] {
  return configIssues(config).map(({ path, message }) => `${path}: ${message}`);
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
      privileged: merged.roles?.privileged ?? defaults.roles.privileged,
      owner: merged.roles?.owner ?? defaults.roles.owner,
    },
  };
}

export default {
  // Strapi merges the file's options into these index by index, so `roles.owner: []` would keep the default's
  // items: the role lists are left out here and filled in by `resolveConfig` instead.
  default: () => ({ ...defaults, roles: {} }),
  validator: validateConfig,
};
