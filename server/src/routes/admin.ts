// Admin routes, mounted at /password-reset, each guarded by one of the plugin's RBAC actions.
const guarded = (method: 'GET' | 'POST' | 'PUT', path: string, handler: string, action: string) => ({
  method,
  path,
  handler,
  config: {
    policies: ['admin::isAuthenticatedAdmin', { name: 'admin::hasPermissions', config: { actions: [`plugin::password-reset.${action}`] } }],
  },
});

export default {
  type: 'admin',
  routes: [
    guarded('POST', '/codes', 'admin.sendCodes', 'send-code'),
    guarded('PUT', '/users/:id/password', 'admin.setPassword', 'set-password'),
    // Any admin holding send-code or set-password may read the state; the controller checks which.
    { method: 'GET', path: '/users/:id/status', handler: 'admin.status', config: { policies: ['admin::isAuthenticatedAdmin'] } },
    guarded('PUT', '/users/:id/expiry', 'admin.setExpiry', 'send-code'),
    guarded('POST', '/policy/check', 'admin.checkPolicy', 'set-password'),
    guarded('GET', '/audit', 'admin.audit', 'read-audit'),
    guarded('POST', '/users/:id/verify-pin', 'admin.verifyPin', 'verify-pin'),
  ],
};
