// Names shared by the admin screens: the users content type and the plugin's RBAC actions.
export const USER_UID = 'plugin::users-permissions.user';

import { permissionAction, type PermissionName } from '../../shared/contracts';

const action = (name: PermissionName) => [{ action: permissionAction(name), subject: null }];

/**
 * For `useRBAC`, which names each allowed action after the last part of its uid, not after these keys:
 * `allowedActions.canSendCode`, `canReadAudit`, `canVerifyPin`, `canReadAllJobs`, and `canRead` / `canUpdate` for Strapi's
 * webhooks. (Whether this admin may set a password, or act on an owner, the account's status route answers.)
 */
export const PERMISSIONS = {
  sendCode: action('sendCode'),
  readAudit: action('readAudit'),
  verifyPin: action('verifyPin'),
  manageSettings: action('manageSettings'),
  readAllJobs: action('readAllJobs'),
  // Strapi's own: the webhooks panel lists webhooks, and changes their events.
  readWebhooks: [{ action: 'admin::webhooks.read', subject: null }],
  updateWebhooks: [{ action: 'admin::webhooks.update', subject: null }],
};
