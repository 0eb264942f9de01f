// Shut-down: stop the outbox worker once the emails under way are sent (the rest stay queued in the database),
// drop the audit purge's cron task, wait for webhook events under way, close shared rate-limit stores, drop
// lifecycle subscriptions.
import type { Core } from '@strapi/strapi';
import { getPluginService } from './utils/plugin';
import { unsubscribers } from './bootstrap';
import { PURGE_TASK } from './services/audit';

export default async ({ strapi }: { strapi: Core.Strapi }) => {
  getPluginService(strapi, 'settings').stop();
  await getPluginService(strapi, 'outbox').stop();
  strapi.cron.remove(PURGE_TASK);
  await getPluginService(strapi, 'audit').flushWebhooks();
  await getPluginService(strapi, 'rate-limit').close();
  unsubscribers.splice(0).forEach((unsubscribe) => unsubscribe());
};
