// Runs before the database is up: what must exist before routes are built. One call per concern.
import type { Core } from '@strapi/strapi';
import { PLUGIN_ID } from './utils/plugin';
import { refuseUnsupportedStrapi } from './compatibility';
import { extendUsersPermissions } from './extensions/users-permissions';
import { registerDocumentMiddlewares } from './middlewares';

/**
 * GraphQL generates queries, mutations and types for every content type, a plugin's hidden ones included; a
 * full-access API token could then mint a code or read the audit log. None of this plugin's tables is ever
 * reachable through a generated API (ARCHITECTURE.md, invariant 6).
 */
function keepTablesOutOfGeneratedApis(strapi: Core.Strapi) {
  const graphql = strapi.plugin('graphql');
  if (!graphql) return;
  const extension = graphql.service('extension') as { shadowCRUD(uid: string): { disable(): void } };
  for (const name of Object.keys(strapi.plugin(PLUGIN_ID).contentTypes)) extension.shadowCRUD(`plugin::${PLUGIN_ID}.${name}`).disable();
}

export default ({ strapi }: { strapi: Core.Strapi }) => {
  refuseUnsupportedStrapi(strapi);
  keepTablesOutOfGeneratedApis(strapi);
  extendUsersPermissions(strapi);
  registerDocumentMiddlewares(strapi);
};
