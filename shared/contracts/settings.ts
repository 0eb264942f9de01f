// The options an administrator may change in Settings → Password reset: the server validates a save against
// this list, the admin panel renders its form from it. Everything else (stores, Redis, secrets) is file-only.
import { BCRYPT_MAX_BYTES, MIN_PASSWORD_LENGTH } from './limits';

/**
 * What a numeric option accepts, in the option's own unit: the config schema (server/src/config) reads it, and the
 * Settings page states it beside the field. `unit` names the option's unit for the range's wording.
 */
export interface NumberBounds {
  min: number;
  max: number;
  /** Whole numbers only. */
  integer: boolean;
  /** What the field's arrow keys add or take away. */
  step: number;
  unit: 'hour' | 'character';
}

export const EDITABLE_SETTINGS = [
  // 5 minutes: an email that waits for a greylisting retry still arrives with a live link; 24 hours: a reset
  // link is a password for a day, no longer.
  { key: 'codeTtlHours.reset', type: 'number', bounds: { min: 5 / 60, max: 24, integer: false, step: 0.25, unit: 'hour' } },
  // An activation link waits for someone who has never signed in: from an hour to 30 days.
  { key: 'codeTtlHours.activation', type: 'number', bounds: { min: 1, max: 30 * 24, integer: false, step: 1, unit: 'hour' } },
  { key: 'notifyIneligible', type: 'boolean' },
  { key: 'notifyPasswordChanged', type: 'boolean' },
  { key: 'allowAdminSetPassword', type: 'boolean' },
  { key: 'sendActivationOnCreate', type: 'boolean' },
  // At most `passwordPolicy.maxBytes` too (the config schema checks the two together).
  {
    key: 'passwordPolicy.minLength',
    type: 'number',
    bounds: { min: MIN_PASSWORD_LENGTH, max: BCRYPT_MAX_BYTES, integer: true, step: 1, unit: 'character' },
  },
  { key: 'passwordPolicy.rejectCommon', type: 'boolean' },
  { key: 'passwordPolicy.rejectPersonalInfo', type: 'boolean' },
  { key: 'resetPageUrl', type: 'url' },
  { key: 'redirectUrls', type: 'urlList' },
  { key: 'loginUrl', type: 'url' },
] as const satisfies ReadonlyArray<
  { key: string; type: 'number'; bounds: NumberBounds } | { key: string; type: 'boolean' | 'url' | 'urlList' }
>;

export type EditableSettingKey = (typeof EDITABLE_SETTINGS)[number]['key'];
export type NumberSettingKey = Extract<(typeof EDITABLE_SETTINGS)[number], { type: 'number' }>['key'];
/** A settings form's values, by dotted key: what `GET /password-reset/settings` answers and `PUT` takes (any subset). */
export type SettingsValues = Partial<Record<EditableSettingKey, number | boolean | string | string[] | null>>;

/** The bounds of an editable numeric option. */
export function settingBounds(key: NumberSettingKey): NumberBounds {
  return EDITABLE_SETTINGS.find(
    (setting): setting is Extract<(typeof EDITABLE_SETTINGS)[number], { type: 'number' }> => setting.key === key,
  )!.bounds;
}

/**
 * A number of hours as a person says it: minutes below an hour, days from two days when whole, hours otherwise.
 * The server's messages and the Settings page's hints word a duration's bounds with it.
 */
export function readableDuration(hours: number): { value: number; unit: 'minute' | 'hour' | 'day' } {
  if (hours < 1) return { value: Math.round(hours * 60 * 100) / 100, unit: 'minute' };
  if (hours >= 48 && hours % 24 === 0) return { value: hours / 24, unit: 'day' };
  return { value: hours, unit: 'hour' };
}

/** How often each instance re-reads the stored settings, so that several instances converge after a save. */
export const SETTINGS_REFRESH_MS = 30_000;
