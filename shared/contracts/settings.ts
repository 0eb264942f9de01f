// The options an administrator may change in Settings → Password reset: the server validates a save against
// this list, the admin panel renders its form from it. Everything else (stores, Redis, secrets) is file-only.
export const EDITABLE_SETTINGS = [
  { key: 'codeTtlHours.reset', type: 'number' },
  { key: 'codeTtlHours.activation', type: 'number' },
  { key: 'notifyIneligible', type: 'boolean' },
  { key: 'notifyPasswordChanged', type: 'boolean' },
  { key: 'allowAdminSetPassword', type: 'boolean' },
  { key: 'sendActivationOnCreate', type: 'boolean' },
  { key: 'passwordPolicy.minLength', type: 'number' },
  { key: 'passwordPolicy.rejectCommon', type: 'boolean' },
  { key: 'passwordPolicy.rejectPersonalInfo', type: 'boolean' },
  { key: 'resetPageUrl', type: 'url' },
  { key: 'redirectUrls', type: 'urlList' },
  { key: 'loginUrl', type: 'url' },
] as const;

export type EditableSettingKey = (typeof EDITABLE_SETTINGS)[number]['key'];
/** A settings form's values, by dotted key: what `GET /password-reset/settings` answers and `PUT` takes (any subset). */
export type SettingsValues = Partial<Record<EditableSettingKey, number | boolean | string | string[] | null>>;

/** How often each instance re-reads the stored settings, so that several instances converge after a save. */
export const SETTINGS_REFRESH_MS = 30_000;
