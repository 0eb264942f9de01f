// Which Strapi this plugin can protect (ARCHITECTURE.md, "Compatibility"). The supported versions are the
// package's peer ranges, declared once in package.json and proven by the compatibility matrix (`npm run
// test:compat`); below them, or without a hook the rules rely on, the plugin refuses to start.
import { satisfies } from 'semver';
import { name, version, peerDependencies } from '../../../package.json';

/** The packages whose version decides whether the rules can be enforced, with the ranges the matrix proved. */
export const SUPPORTED_VERSIONS = {
  '@strapi/strapi': peerDependencies['@strapi/strapi'],
  '@strapi/plugin-users-permissions': peerDependencies['@strapi/plugin-users-permissions'],
};
export type CheckedPackage = keyof typeof SUPPORTED_VERSIONS;

export interface Installation {
  /** The installed version of each checked package; null when it is not installed. */
  versions: Record<CheckedPackage, string | null>;
  /** The hooks the plugin needs that this Strapi lacks, each named as a developer would look for it. */
  missingHooks: string[];
}

/** What keeps the plugin from protecting this site, one line each; empty when it can run. */
export function incompatibilities({ versions, missingHooks }: Installation): string[] {
  const problems: string[] = [];
  for (const [pkg, range] of Object.entries(SUPPORTED_VERSIONS) as Array<[CheckedPackage, string]>) {
    const installed = versions[pkg];
    if (!installed) problems.push(`${pkg} is not installed or not enabled; ${name} needs ${range}`);
    else if (!satisfies(installed, range, { includePrerelease: true })) {
      problems.push(`${pkg} ${installed} is outside the supported range ${range}`);
    }
  }
  for (const hook of missingHooks) problems.push(`this Strapi lacks ${hook}`);
  return problems;
}

/** The error Strapi stops with: the plugin, every problem, and where to read more. */
export function incompatibilityMessage(problems: string[]): string {
  return [
    `${name} ${version} cannot enforce its rules on this site, so it stops Strapi from starting:`,
    ...problems.map((problem) => `  - ${problem}`),
    `Upgrade Strapi, or see the compatibility table in the README of ${name}.`,
  ].join('\n');
}
