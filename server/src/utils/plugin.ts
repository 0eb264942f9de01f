// Typed access to this plugin's config and services, so a service call is typed end to end.
import type { Core } from '@strapi/strapi';
import { resolveConfig, type PluginConfig } from '../config';
import type { Services } from '../services';

import { PLUGIN_ID } from '../../../shared/contracts';

export { PLUGIN_ID };
export const USER_UID = 'plugin::users-permissions.user';
/** The account attribute, added by this plugin, that holds the moment of its last password change (ARCHITECTURE.md, invariant 8). */
export const PASSWORD_CHANGED_AT = 'passwordChangedAt';
export const CODE_UID = 'plugin::password-reset.code';
export const AUDIT_UID = 'plugin::password-reset.audit-event';
export const STATE_UID = 'plugin::password-reset.account-state';
export const OUTBOX_UID = 'plugin::password-reset.outbox-message';
export const JOB_UID = 'plugin::password-reset.job';

export function getConfig(strapi: Core.Strapi): PluginConfig {
  return resolveConfig(strapi.config.get(`plugin::${PLUGIN_ID}`) as Partial<PluginConfig>);
}

export function getPluginService<Name extends keyof Services>(strapi: Core.Strapi, name: Name): Services[Name] {
  return strapi.plugin(PLUGIN_ID).service(name) as Services[Name];
}
