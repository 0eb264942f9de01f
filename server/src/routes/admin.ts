// Admin routes, mounted at /password-reset, each guarded by one of the plugin's RBAC actions.
import { permissionAction, type PermissionName } from '../../../shared/contracts';

const guarded = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, handler: string, permission: PermissionName) => ({
  method,
  path,
  handler,
  config: {
    policies: ['admin::isAuthenticatedAdmin', { name: 'admin::hasPermissions', config: { actions: [permissionAction(permission)] } }],
  },
});

export default {
  type: 'admin',
  routes: [
    guarded('POST', '/codes', 'admin.sendCodes', 'sendCode'),
    guarded('POST', '/codes/dry-run', 'admin.dryRun', 'sendCode'),
    guarded('GET', '/jobs', 'admin.listJobs', 'sendCode'),
    guarded('GET', '/jobs/:id', 'admin.job', 'sendCode'),
    guarded('GET', '/jobs/:id/items', 'admin.jobItems', 'sendCode'),
    guarded('GET', '/jobs/:id/items.csv', 'admin.jobCsv', 'sendCode'),
    guarded('POST', '/jobs/:id/retry', 'admin.retryJob', 'sendCode'),
    guarded('PUT', '/users/:id/password', 'admin.setPassword', 'setPassword'),
    // Any admin holding send-code or set-password may read the state; the controller checks which.
    { method: 'GET', path: '/users/:id/status', handler: 'admin.status', config: { policies: ['admin::isAuthenticatedAdmin'] } },
    guarded('PUT', '/users/:id/expiry', 'admin.setExpiry', 'sendCode'),
    guarded('POST', '/policy/check', 'admin.checkPolicy', 'setPassword'),
    // Delivery health lists failed emails and their addresses, as the audit log does: the same readers.
    guarded('GET', '/health', 'admin.health', 'readAudit'),
    guarded('GET', '/audit', 'admin.audit', 'readAudit'),
    guarded('GET', '/audit.csv', 'admin.auditCsv', 'readAudit'),
    guarded('POST', '/users/:id/verify-pin', 'admin.verifyPin', 'verifyPin'),
    guarded('GET', '/settings', 'settings.read', 'manageSettings'),
    guarded('PUT', '/settings', 'settings.update', 'manageSettings'),
    guarded('GET', '/templates', 'templates.catalog', 'manageSettings'),
    guarded('GET', '/templates/:locale/:name', 'templates.read', 'manageSettings'),
    guarded('PUT', '/templates/:locale/:name', 'templates.save', 'manageSettings'),
    guarded('DELETE', '/templates/:locale/:name', 'templates.reset', 'manageSettings'),
    guarded('POST', '/templates/:locale/:name/preview', 'templates.preview', 'manageSettings'),
    guarded('POST', '/templates/:locale/:name/test', 'templates.test', 'manageSettings'),
  ],
};
