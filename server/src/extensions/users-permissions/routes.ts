// Serving users-permissions' `POST /api/auth/forgot-password` and `POST /api/auth/reset-password` (REST and the
// GraphQL mutations that call the same controller) with this plugin's codes and rules.
import type { Core } from '@strapi/strapi';
import { getConfig } from '../../utils/plugin';
import { answerUnavailable } from '../../controllers/self-service';
import { isDatabaseUnavailable } from '../../domain/database';
import { withDeadline } from '../../utils/concurrency';
import type { Ctx } from '../../utils/context';
import authController from './auth-controller';

/** How long the database may take to answer `SELECT 1` before it counts as out of reach. */
const PROBE_MS = 2000;

export function takeOverUsersPermissionsRoutes(strapi: Core.Strapi) {
  if (!getConfig(strapi).takeOverUsersPermissionsRoutes) return;
  const ours = authController({ strapi });
  strapi.get('controllers').extend('plugin::users-permissions.auth', (auth: object) => ({
    ...auth,
    forgotPassword: ours.forgotPassword,
    resetPassword: ours.resetPassword,
  }));
  answerUnavailableBeforeTheController(strapi);
}

/**
 * users-permissions checks the public role's permissions (a query) before its routes' controllers run, and takes a
 * failed query for "no permission": a 401 while the database is out of reach. Around every request (registered
 * before Strapi's own middlewares), a 401 from one of the taken-over routes to a caller without credentials is
 * checked against the database, and becomes the same 503 as this plugin's routes give (ARCHITECTURE.md, "Delivery").
 */
function answerUnavailableBeforeTheController(strapi: Core.Strapi) {
  const prefix = strapi.config.get('api.rest.prefix', '/api') as string;
  const paths = new Set([`${prefix}/auth/forgot-password`, `${prefix}/auth/reset-password`]);
  strapi.server.use(async (koaContext, next) => {
    await next();
    const ctx = koaContext as unknown as Ctx;
    if (ctx.status !== 401 || ctx.method !== 'POST' || !paths.has(ctx.path) || ctx.request.header?.authorization) return;
    try {
      await withDeadline(Promise.resolve(strapi.db.connection.raw('SELECT 1')), PROBE_MS, 'The database');
    } catch (error) {
      // A probe past its deadline is a DeadlineError, whose code (ETIMEDOUT) counts as out of reach.
      if (isDatabaseUnavailable(error)) answerUnavailable(strapi, ctx, (error as Error).message);
    }
  });
}
