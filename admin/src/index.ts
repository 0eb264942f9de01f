// The plugin's admin entry: registers the plugin and its translations. Screens arrive with the admin-panel issue.
import { PLUGIN_ID } from './pluginId';

interface StrapiAdminApp {
  registerPlugin(plugin: { id: string; name: string }): void;
}

type TranslationModule = { default: Record<string, string> };

const prefixKeys = (messages: Record<string, string>) =>
  Object.fromEntries(Object.entries(messages).map(([key, value]) => [`${PLUGIN_ID}.${key}`, value]));

export default {
  register(app: StrapiAdminApp) {
    app.registerPlugin({ id: PLUGIN_ID, name: PLUGIN_ID });
  },

  async registerTrads({ locales }: { locales: string[] }) {
    return Promise.all(
      locales.map(async (locale) => {
        try {
          const { default: data } = (await import(`./translations/${locale}.json`)) as TranslationModule;
          return { data: prefixKeys(data), locale };
        } catch {
          return { data: {}, locale };
        }
      }),
    );
  },
};
