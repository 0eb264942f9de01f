// The plugin's RBAC actions: registered by the server, required by its admin routes, asked by the admin panel.
export const PLUGIN_ID = 'password-reset';

export const PERMISSIONS = {
  sendCode: { uid: 'send-code', displayName: 'Send activation codes' },
  setPassword: { uid: 'set-password', displayName: 'Set a password now' },
  manageOwners: { uid: 'manage-owners', displayName: 'Manage owner accounts' },
  readAudit: { uid: 'read-audit', displayName: 'Read the audit log' },
  verifyPin: { uid: 'verify-pin', displayName: 'Verify a support PIN' },
  manageSettings: { uid: 'manage-settings', displayName: 'Manage settings' },
  /** Without it, an administrator reads only the jobs they started (ARCHITECTURE.md, "Delivery"). */
  readAllJobs: { uid: 'read-all-jobs', displayName: 'Read all jobs' },
} as const;

export type PermissionName = keyof typeof PERMISSIONS;

/** The full action name, as Strapi's RBAC knows it: `plugin::password-reset.send-code`. */
export const permissionAction = (name: PermissionName) => `plugin::${PLUGIN_ID}.${PERMISSIONS[name].uid}`;
