// Shut-down: stop the outbox worker once the emails under way are sent (the rest stay queued in the database),
// close shared rate-limit stores, drop lifecycle subscriptions.
import type { Core } from '@strapi/strapi';
import { getPluginService } from './utils/plugin';
import { unsubscribers } from './bootstrap';

export default async ({ strapi }: { strapi: Core.Strapi }) => {
  await getPluginService(strapi, 'outbox').stop();
  await getPluginService(strapi, 'rate-limit').close();
  unsubscribers.splice(0).forEach((unsubscribe) => unsubscribe());
};
