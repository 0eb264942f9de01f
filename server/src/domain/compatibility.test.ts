// The boot check: versions outside the proven ranges and missing hooks stop Strapi, each named.
import { incompatibilities, incompatibilityMessage, SUPPORTED_VERSIONS } from './compatibility';
import { peerDependencies } from '../../../package.json';

const supported = { '@strapi/strapi': '5.54.0', '@strapi/plugin-users-permissions': '5.54.0' };

describe('incompatibilities', () => {
  it('takes the supported ranges from the package peer ranges, the one place they are declared', () => {
    expect(SUPPORTED_VERSIONS['@strapi/strapi']).toBe(peerDependencies['@strapi/strapi']);
    expect(SUPPORTED_VERSIONS['@strapi/plugin-users-permissions']).toBe(peerDependencies['@strapi/plugin-users-permissions']);
  });

  it('finds nothing on the version the suites run on, with every hook present', () => {
    expect(incompatibilities({ versions: supported, missingHooks: [] })).toEqual([]);
  });

  it('names a version outside the range, and a package that is not installed', () => {
    const problems = incompatibilities({
      versions: { '@strapi/strapi': '4.25.0', '@strapi/plugin-users-permissions': null },
      missingHooks: [],
    });
    expect(problems).toEqual([
      expect.stringContaining('@strapi/strapi 4.25.0 is outside the supported range'),
      expect.stringContaining('@strapi/plugin-users-permissions is not installed'),
    ]);
  });

  it('refuses Strapi 6 and its prereleases', () => {
    for (const version of ['6.0.0', '6.0.0-beta.1']) {
      expect(incompatibilities({ versions: { ...supported, '@strapi/strapi': version }, missingHooks: [] })).toHaveLength(1);
    }
  });

  it('names every missing hook, and the message lists every problem', () => {
    const problems = incompatibilities({ versions: supported, missingHooks: ['strapi.documents.use', 'the session manager'] });
    expect(problems).toEqual(['this Strapi lacks strapi.documents.use', 'this Strapi lacks the session manager']);
    const message = incompatibilityMessage(problems);
    expect(message).toMatch(/^strapi-plugin-password-reset \d+\.\d+\.\d+ cannot enforce its rules/);
    for (const problem of problems) expect(message).toContain(problem);
  });
});
