// Refuse to run where the plugin cannot protect (ARCHITECTURE.md, "Compatibility"): the first thing `register`
// does. A plugin that boots without a hook its rules need would look installed and enforce nothing.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Core } from '@strapi/strapi';
import { incompatibilities, incompatibilityMessage, type CheckedPackage } from './domain/compatibility';

const UP = 'plugin::users-permissions';

function installedVersions(strapi: Core.Strapi): Record<CheckedPackage, string | null> {
  const appRequire = createRequire(join(strapi.dirs.app.root, 'package.json'));
  const versionOf = (pkg: string): string | null => {
    try {
      return (appRequire(`${pkg}/package.json`) as { version: string }).version;
    } catch {
      return null;
    }
  };
  return {
    '@strapi/strapi': (strapi.config.get('info.strapi') as string | undefined) ?? versionOf('@strapi/strapi'),
    '@strapi/plugin-users-permissions': strapi.plugin('users-permissions') ? versionOf('@strapi/plugin-users-permissions') : null,
  };
}

/** Each hook the rules rely on, named as a developer would look for it, with a probe of this Strapi. */
function missingHooks(strapi: Core.Strapi): string[] {
  const methods = (target: unknown, names: string[]) =>
    names.every((method) => typeof (target as Record<string, unknown> | undefined)?.[method] === 'function');
  const hooks: Array<[string, () => boolean]> = [
    ["the Document Service's middlewares (strapi.documents.use)", () => typeof strapi.documents?.use === 'function'],
    ['database lifecycles (strapi.db.lifecycles.subscribe)', () => typeof strapi.db?.lifecycles?.subscribe === 'function'],
    ['the request context (strapi.requestContext.get)', () => typeof strapi.requestContext?.get === 'function'],
    [
      'registry extensions (strapi.get("controllers").extend, strapi.get("services").extend)',
      () => methods(strapi.get('controllers'), ['extend']) && methods(strapi.get('services'), ['extend']),
    ],
    [
      `${UP}.auth controller with forgotPassword, resetPassword and changePassword`,
      () => methods(strapi.controller(`${UP}.auth`), ['forgotPassword', 'resetPassword', 'changePassword']),
    ],
    [
      `${UP}.contentmanageruser controller with create and update`,
      () => methods(strapi.controller(`${UP}.contentmanageruser`), ['create', 'update']),
    ],
    [
      `${UP}.user service with add, edit and fetchAuthenticatedUser`,
      () => methods(strapi.service(`${UP}.user`), ['add', 'edit', 'fetchAuthenticatedUser']),
    ],
    [`${UP}.jwt service with issue`, () => methods(strapi.service(`${UP}.jwt`), ['issue'])],
    [
      `the session manager (strapi.sessionManager) with isSessionActive, which users-permissions' jwtManagement: 'refresh' needs`,
      () =>
        strapi.config.get<string>(`${UP}.jwtManagement`, 'legacy-support') !== 'refresh' ||
        (typeof strapi.sessionManager === 'function' && methods(strapi.sessionManager('users-permissions'), ['isSessionActive'])),
    ],
  ];
  if (!strapi.plugin('users-permissions')) return [];
  return hooks.filter(([, present]) => !safely(present)).map(([hook]) => hook);
}

const safely = (probe: () => boolean) => {
  try {
    return probe();
  } catch {
    return false;
  }
};

export function refuseUnsupportedStrapi(strapi: Core.Strapi) {
  const problems = incompatibilities({ versions: installedVersions(strapi), missingHooks: missingHooks(strapi) });
  if (problems.length > 0) throw new Error(incompatibilityMessage(problems));
}
