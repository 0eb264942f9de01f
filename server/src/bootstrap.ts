// Start-up, one line per concern.
import type { Core } from '@strapi/strapi';
import { subscribeUserGuard } from './lifecycles/user-guard';
import { getPluginService } from './utils/plugin';

export const unsubscribers: Array<() => void> = [];

const PERMISSIONS = [
  { uid: 'send-code', displayName: 'Send activation codes' },
  { uid: 'set-password', displayName: 'Set a password now' },
  { uid: 'manage-owners', displayName: 'Manage owner accounts' },
  { uid: 'read-audit', displayName: 'Read the audit log' },
  { uid: 'verify-pin', displayName: 'Verify a support PIN' },
];

async function registerPermissions(strapi: Core.Strapi) {
  await strapi
    .service('admin::permission')
    .actionProvider.registerMany(PERMISSIONS.map((action) => ({ ...action, section: 'plugins', pluginName: 'password-reset' })));
}

export default async ({ strapi }: { strapi: Core.Strapi }) => {
  await registerPermissions(strapi);
  unsubscribers.push(subscribeUserGuard(strapi));
  await getPluginService(strapi, 'accounts').backfillEmailLookups();
};
