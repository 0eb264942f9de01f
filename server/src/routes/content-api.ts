// Content-API routes, mounted at /api/password-reset: the public self-service flow and the management API.
const publicRoute = (method: 'POST', path: string, handler: string) => ({
  method,
  path,
  handler,
  config: { auth: false as const, policies: [] },
});

// Strapi names the API-token strategy `api-token` up to 5.44 and `content-api-token` from 5.45; unknown names are
// skipped. A fresh object per route: Strapi writes each route's permission scope into its `auth` config.
const apiTokenOnly = () => ({ auth: { strategies: ['api-token', 'content-api-token'] }, policies: [] });

export default {
  type: 'content-api',
  routes: [
    // The management API: one account by id, or many (bulk sends, as jobs above `bulk.inlineLimit`).
    publicRoute('POST', '/forgot-password', 'public.forgotPassword'),
    publicRoute('POST', '/check', 'public.check'),
    publicRoute('POST', '/reset', 'public.reset'),
    { method: 'POST', path: '/users/:id/codes', handler: 'management.sendCode', config: apiTokenOnly() },
    { method: 'PUT', path: '/users/:id/password', handler: 'management.setPassword', config: apiTokenOnly() },
    { method: 'PUT', path: '/users/:id/expiry', handler: 'management.setExpiry', config: apiTokenOnly() },
    { method: 'POST', path: '/codes', handler: 'management.sendCodes', config: apiTokenOnly() },
    { method: 'POST', path: '/codes/dry-run', handler: 'management.dryRun', config: apiTokenOnly() },
    { method: 'GET', path: '/jobs/:id', handler: 'management.job', config: apiTokenOnly() },
    { method: 'GET', path: '/jobs/:id/items', handler: 'management.jobItems', config: apiTokenOnly() },
    { method: 'GET', path: '/jobs/:id/items.csv', handler: 'management.jobCsv', config: apiTokenOnly() },
    // Delivery health for monitoring (the admin panel's is GET /password-reset/health).
    { method: 'GET', path: '/health', handler: 'management.health', config: apiTokenOnly() },
    // The signed-in account holder; the controller reads the users-permissions JWT itself, so no role needs granting.
    { method: 'PUT', path: '/me/pin', handler: 'me.setPin', config: { auth: false as const, policies: [] } },
  ],
};
