// users-permissions' GraphQL mutations on one user take `id`, its numeric id, and pass it to the database
// unchecked: on PostgreSQL a documentId there is a database error, a 500. The id is checked first, as every
// route of this plugin checks it, so bad input is a 400 whatever the database (ARCHITECTURE.md, invariant 5).
import type { Core } from '@strapi/strapi';
import { readId } from '../../controllers/validate';

type Resolver = (parent: unknown, args: Record<string, unknown>, context: unknown, info: unknown) => unknown;

const checkUserId = (next: Resolver, parent: unknown, args: Record<string, unknown>, context: unknown, info: unknown) => {
  readId(typeof args.id === 'number' ? args.id : String(args.id ?? ''), 'id');
  return next(parent, args, context, info);
};

export function checkGraphqlUserIds(strapi: Core.Strapi) {
  const graphql = strapi.plugin('graphql');
  if (!graphql) return;
  (graphql.service('extension') as { use(configuration: () => object): void }).use(() => ({
    resolversConfig: {
      'Mutation.updateUsersPermissionsUser': { middlewares: [checkUserId] },
      'Mutation.deleteUsersPermissionsUser': { middlewares: [checkUserId] },
    },
  }));
}
