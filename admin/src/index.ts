// The plugin's admin entry: the plugin page in the main menu, its two Settings pages, the bulk action in the list
// of Users, the Password panel in a User's edit view, and translations.
import { Key } from '@strapi/icons';
import { PLUGIN_ID } from '../../shared/contracts';
import { PERMISSIONS } from './constants';
import { getTranslation } from './utils/getTranslation';
import { SendCodesBulkAction } from './content-manager/SendCodesBulkAction';
import { PasswordPanel } from './content-manager/PasswordPanel';

interface ContentManagerApis {
  addBulkAction(actions: unknown[]): void;
  addEditViewSidePanel(panels: unknown[]): void;
}

interface StrapiAdminApp {
  registerPlugin(plugin: { id: string; name: string }): void;
  addMenuLink(link: {
    to: string;
    icon: unknown;
    intlLabel: { id: string; defaultMessage: string };
    Component: () => Promise<{ default: unknown }>;
    permissions: Array<{ action: string; subject: null }>;
    position?: number;
  }): void;
  getPlugin(id: string): { apis: ContentManagerApis };
  addSettingsLink(
    section: 'global',
    link: {
      id: string;
      to: string;
      intlLabel: { id: string; defaultMessage: string };
      Component: () => Promise<{ default: unknown }>;
      permissions: Array<{ action: string; subject: null }>;
    },
  ): void;
}

type TranslationModule = { default: Record<string, string> };

const prefixKeys = (messages: Record<string, string>) =>
  Object.fromEntries(Object.entries(messages).map(([key, value]) => [getTranslation(key), value]));

export default {
  register(app: StrapiAdminApp) {
    app.addMenuLink({
      to: `plugins/${PLUGIN_ID}`,
      icon: Key,
      intlLabel: { id: getTranslation('plugin.name'), defaultMessage: 'Password reset' },
      Component: () => import('./pages/App'),
      // Shown to an admin holding any of these: the page shows each the parts their permissions reach.
      permissions: [...PERMISSIONS.readAudit, ...PERMISSIONS.verifyPin, ...PERMISSIONS.sendCode],
    });
    // Settings → Password reset (ARCHITECTURE.md, "Settings").
    app.addSettingsLink('global', {
      id: PLUGIN_ID,
      to: PLUGIN_ID,
      intlLabel: { id: getTranslation('settings.title'), defaultMessage: 'Password reset' },
      Component: () => import('./pages/Settings'),
      permissions: PERMISSIONS.manageSettings,
    });
    // Settings → Password reset emails: the wording of each email, per language, with a live preview.
    app.addSettingsLink('global', {
      id: `${PLUGIN_ID}-templates`,
      to: `${PLUGIN_ID}-templates`,
      intlLabel: { id: getTranslation('templates.title'), defaultMessage: 'Password reset emails' },
      Component: () => import('./pages/Templates'),
      permissions: PERMISSIONS.manageSettings,
    });
    app.registerPlugin({ id: PLUGIN_ID, name: PLUGIN_ID });
  },

  bootstrap(app: StrapiAdminApp) {
    const contentManager = app.getPlugin('content-manager').apis;
    contentManager.addBulkAction([SendCodesBulkAction]);
    contentManager.addEditViewSidePanel([PasswordPanel]);
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
