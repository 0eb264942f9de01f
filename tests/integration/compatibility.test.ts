// The plugin refuses to run where it cannot protect (ARCHITECTURE.md, "Compatibility"): a real Strapi without a
// package the rules rely on does not start, and says why. Older Strapi releases are refused the same way; the
// compatibility matrix (`npm run test:compat`) boots them.
import { startPlayground } from '../helpers/strapi';

jest.setTimeout(120000);

it('stops Strapi at boot, naming what is missing, when users-permissions is not enabled', async () => {
  const booting = startPlayground({ env: { UP_ENABLED: 'false' } });
  await expect(booting).rejects.toThrow(/strapi-plugin-password-reset .* cannot enforce its rules/);
  await expect(booting).rejects.toThrow('@strapi/plugin-users-permissions is not installed');
});
