// Names shared by the admin screens: the users content type and the plugin's RBAC actions.
export const USER_UID = 'plugin::users-permissions.user';

const action = (name: string) => [{ action: `plugin::password-reset.${name}`, subject: null }];

/** For `useRBAC`: `allowedActions.canSendCode`, `canSetPassword`, `canReadAudit`, `canVerifyPin`. */
export const PERMISSIONS = {
  sendCode: action('send-code'),
  setPassword: action('set-password'),
  readAudit: action('read-audit'),
  verifyPin: action('verify-pin'),
};
