// Shut-down: finish emails already under way, close shared rate-limit stores, drop lifecycle subscriptions.
import type { Core } from '@strapi/strapi';
import { getPluginService } from './utils/plugin';
import { unsubscribers } from './bootstrap';

export default async ({ strapi }: { strapi: Core.Strapi }) => {
  await getPluginService(strapi, 'delivery').drain();
  await getPluginService(strapi, 'rate-limit').close();
  unsubscribers.splice(0).forEach((unsubscribe) => unsubscribe());
};
