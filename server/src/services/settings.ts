// Settings → Password reset: the editable options saved in the plugin store, held in memory so that `getConfig`
// stays synchronous, re-read every SETTINGS_REFRESH_MS so that instances converge (ARCHITECTURE.md, "Settings").
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { configIssues } from '../config';
import { getConfig, getFileConfig, getPluginService, PLUGIN_ID, storedSettings, withSettings } from '../utils/plugin';
import type { Actor } from '../utils/actor';
import { EDITABLE_SETTINGS, SETTINGS_REFRESH_MS, type EditableSettingKey, type SettingsValues } from '../../../shared/contracts';

const STORE_KEY = 'settings';
const KEYS: readonly string[] = EDITABLE_SETTINGS.map((setting) => setting.key);
const isEditable = (key: string): key is EditableSettingKey => KEYS.includes(key);

/** A dotted key's value in a config. */
function valueAt(config: object, key: EditableSettingKey): SettingsValues[EditableSettingKey] {
  return key
    .split('.')
    .reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], config) as SettingsValues[EditableSettingKey];
}

/** Only editable keys survive a read of the store: an option made file-only in a later version stops applying. */
function editableOnly(value: unknown): SettingsValues {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value).filter(([key]) => isEditable(key))) as SettingsValues;
}

const settingsService = ({ strapi }: { strapi: Core.Strapi }) => {
  const store = () => strapi.store({ type: 'plugin', name: PLUGIN_ID });
  let timer: NodeJS.Timeout | null = null;
  /** Stored values already warned about, so that the re-read every 30 seconds does not repeat the warning. */
  const warned = new Set<string>();
  /** Put settings in force (the Content Manager's password hint reads the policy's length when it is used). */
  const apply = (values: SettingsValues) => {
    storedSettings.set(strapi, values);
  };

  /**
   * The stored values the options' schema accepts over the config file. A value stored before its bounds were
   * (a `passwordPolicy.minLength` of 6 saved by an earlier version) is not applied: the file's value is, with a
   * warning in the log, and the next save from the Settings page leaves it out of the store.
   */
  const acceptable = (stored: SettingsValues): SettingsValues => {
    const file = getFileConfig(strapi);
    const values = { ...stored };
    const problems = configIssues(withSettings(file, values)).filter((problem) => isEditable(problem.path) && problem.path in values);
    for (const { path, message } of problems) {
      const key = path as EditableSettingKey;
      const note = `${key}=${JSON.stringify(values[key])}`;
      if (!warned.has(note)) {
        warned.add(note);
        strapi.log.warn(
          `[password-reset] the stored setting ${key} (${JSON.stringify(values[key])}) is not applied: ${message}; ` +
            `the config file's value (${JSON.stringify(valueAt(file, key))}) is. Save the Settings page to replace it.`,
        );
      }
      delete values[key];
    }
    return values;
  };

  return {
    /** Reads the stored settings into memory; `getConfig` applies them from then on. */
    async load() {
      apply(acceptable(editableOnly(await store().get({ key: STORE_KEY }))));
    },

    /** Re-reads the store every SETTINGS_REFRESH_MS, for saves made on other instances; `alsoReload` too (the email templates). */
    start(...alsoReload: Array<() => Promise<void>>) {
      if (timer) return;
      timer = setInterval(() => {
        for (const reload of [() => this.load(), ...alsoReload]) {
          reload().catch((error: Error) => strapi.log.warn(`[password-reset] reading settings failed: ${error.message}`));
        }
      }, SETTINGS_REFRESH_MS);
      timer.unref();
    },

    stop() {
      if (timer) clearInterval(timer);
      timer = null;
    },

    /** Each editable option as in force now, and as the config file alone would have it. */
    read(): { values: SettingsValues; defaults: SettingsValues } {
      const current = getConfig(strapi);
      const file = getFileConfig(strapi);
      const values: SettingsValues = {};
      const defaults: SettingsValues = {};
      for (const key of EDITABLE_SETTINGS.map((setting) => setting.key)) {
        values[key] = valueAt(current, key);
        defaults[key] = valueAt(file, key);
      }
      return { values, defaults };
    },

    /**
     * Validates `changes` (any editable keys) with the options' schema (the config file's validator), applied to the whole config as it
     * would be; stores them and audits who changed which key from what to what, in one transaction. Nothing is
     * stored when any value is refused.
     */
    async update(changes: Record<string, unknown>, actor: Actor) {
      const unknown = Object.keys(changes).filter((key) => !isEditable(key));
      if (unknown.length > 0) {
        throw new errors.ValidationError(`${unknown.join(', ')}: not an option that can be changed here`, {
          errors: unknown.map((key) => ({ path: [key], message: 'not an option that can be changed here' })),
        });
      }
      await this.load(); // another instance may have saved since the last refresh
      const stored = storedSettings.get(strapi) ?? {};
      const next: SettingsValues = { ...stored, ...(changes as SettingsValues) };
      const before = getConfig(strapi);
      const problems = configIssues(withSettings(getFileConfig(strapi), next));
      if (problems.length > 0) {
        throw new errors.ValidationError(problems.map(({ path, message }) => `${path}: ${message}`).join('; '), {
          errors: problems.map(({ path, message }) => ({ path: [path], message })),
        });
      }
      const diff: Record<string, { from: unknown; to: unknown }> = {};
      for (const key of Object.keys(changes) as EditableSettingKey[]) {
        const from = valueAt(before, key);
        if (from !== next[key]) diff[key] = { from, to: next[key] };
      }
      if (Object.keys(diff).length > 0) {
        await strapi.db.transaction(async () => {
          await store().set({ key: STORE_KEY, value: next });
          await getPluginService(strapi, 'audit').record({ action: 'settings.changed', actor, details: { changes: diff } });
        });
        apply(next);
      }
      return this.read();
    },
  };
};

export type SettingsService = ReturnType<typeof settingsService>;
export default settingsService;
