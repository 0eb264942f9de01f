// Names shared by the admin screens: the users content type and the plugin's RBAC actions.
export const USER_UID = 'plugin::users-permissions.user';

const action = (name: string) => [{ action: `plugin::password-reset.${name}`, subject: null }];

/**
 * For `useRBAC`: `allowedActions.canSendCode`, `canReadAudit`, `canVerifyPin`. (Whether this admin may set a
 * password, or act on an owner, the account's status route answers, with the reason.)
 */
export const PERMISSIONS = {
  sendCode: action('send-code'),
  readAudit: action('read-audit'),
  verifyPin: action('verify-pin'),
};
