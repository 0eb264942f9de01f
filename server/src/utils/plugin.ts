// Typed access to this plugin's config and services, so a service call is typed end to end.
import type { Core } from '@strapi/strapi';
import { resolveConfig, type PluginConfig } from '../config';
import type { Services } from '../services';

import { PLUGIN_ID, type SettingsValues } from '../../../shared/contracts';

export { PLUGIN_ID };
export const USER_UID = 'plugin::users-permissions.user';
/** The account attribute, added by this plugin, that holds the moment of its last password change (ARCHITECTURE.md, invariant 8). */
export const PASSWORD_CHANGED_AT = 'passwordChangedAt';
export const CODE_UID = 'plugin::password-reset.code';
export const AUDIT_UID = 'plugin::password-reset.audit-event';
export const STATE_UID = 'plugin::password-reset.account-state';
export const OUTBOX_UID = 'plugin::password-reset.outbox-message';
export const JOB_UID = 'plugin::password-reset.job';

/** The config file's options, merged with the defaults by Strapi: what stored settings are layered over. */
export function getFileConfig(strapi: Core.Strapi): PluginConfig {
  return resolveConfig(strapi.config.get(`plugin::${PLUGIN_ID}`) as Partial<PluginConfig>);
}

/** Settings saved in the admin panel, by instance, held in memory by the settings service (ARCHITECTURE.md, "Settings"). */
export const storedSettings = new WeakMap<Core.Strapi, SettingsValues>();

/**
 * The last options built, reused by the calls of the same synchronous run (an email asks for them a dozen times,
 * and building them copies Strapi's config object): dropped at the next microtask, and whenever Strapi's config
 * object or the stored settings are another object, so that a change is seen by the next call after it.
 */
let recent: { strapi: Core.Strapi; file: unknown; stored: SettingsValues | undefined; config: PluginConfig } | null = null;

/** The options in force: the config file's, with the settings saved in the admin panel over them. */
export function getConfig(strapi: Core.Strapi): PluginConfig {
  const stored = storedSettings.get(strapi);
  const raw = strapi.config.get(`plugin::${PLUGIN_ID}`);
  if (recent && recent.strapi === strapi && recent.file === raw && recent.stored === stored) return recent.config;
  const file = resolveConfig(raw as Partial<PluginConfig>);
  const config = stored ? withSettings(file, stored) : file;
  if (!recent) queueMicrotask(() => (recent = null));
  recent = { strapi, file: raw, stored, config };
  return config;
}

/** `config` with each dotted key of `values` set; the objects on the way are copied, never changed. */
export function withSettings(config: PluginConfig, values: SettingsValues): PluginConfig {
  const result: Record<string, unknown> = { ...config };
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) continue;
    const [head, tail] = key.split('.') as [string, string | undefined];
    if (tail === undefined) result[head] = value;
    else result[head] = { ...(result[head] as Record<string, unknown>), [tail]: value };
  }
  return result as unknown as PluginConfig;
}

/** Where visitors reach this Strapi (`publicUrl`, else Strapi's own absolute URL), without a trailing slash; never the Host header. */
export function siteUrl(strapi: Core.Strapi): string {
  const absolute = getConfig(strapi).publicUrl ?? (strapi.config.get('server.absoluteUrl') as string | undefined) ?? '';
  return absolute.replace(/\/+$/, '');
}

export function getPluginService<Name extends keyof Services>(strapi: Core.Strapi, name: Name): Services[Name] {
  return strapi.plugin(PLUGIN_ID).service(name) as Services[Name];
}

/**
 * Whether a password written now is held to the policy: inside a request (REST, GraphQL, the admin panel, the
 * management API) always; from code outside any request (a seed script, a migration, the console, a test's setup),
 * which is the site's own and trusted as the restriction rule trusts it, only with `passwordPolicy.applyOutsideRequests`
 * (README, "Security", Limits).
 */
export const isHeldToPasswordPolicy = (strapi: Core.Strapi) =>
  Boolean(strapi.requestContext.get()) || getConfig(strapi).passwordPolicy.applyOutsideRequests;
