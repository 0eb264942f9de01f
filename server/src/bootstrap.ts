// Start-up, one line per concern.
import type { Core } from '@strapi/strapi';
import { subscribeUserGuard } from './lifecycles/user-guard';
import { getPluginService } from './utils/plugin';
import { PERMISSIONS, PLUGIN_ID } from '../../shared/contracts';

export const unsubscribers: Array<() => void> = [];

async function registerPermissions(strapi: Core.Strapi) {
  await strapi
    .service('admin::permission')
    .actionProvider.registerMany(Object.values(PERMISSIONS).map((action) => ({ ...action, section: 'plugins', pluginName: PLUGIN_ID })));
}

export default async ({ strapi }: { strapi: Core.Strapi }) => {
  await registerPermissions(strapi);
  const templates = getPluginService(strapi, 'templates');
  await getPluginService(strapi, 'settings').load();
  await templates.load();
  templates.checkConfig();
  getPluginService(strapi, 'settings').start(() => templates.load());
  unsubscribers.push(subscribeUserGuard(strapi));
  await getPluginService(strapi, 'codes').adoptUsersPermissionsLinks();
  await getPluginService(strapi, 'accounts').backfillEmailLookups();
  await getPluginService(strapi, 'accounts').movePasswordChangeMoments();
  await getPluginService(strapi, 'jobs').backfillStarters();
  getPluginService(strapi, 'outbox').start();
  getPluginService(strapi, 'audit').registerWebhookEvents();
  getPluginService(strapi, 'audit').schedulePurge();
};
