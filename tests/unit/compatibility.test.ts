// The compatibility facts agree: the matrix's versions (compat/versions.json), each one's lockfile, the floor of the
// peer ranges, and the README's table.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { minVersion } from 'semver';
import { SUPPORTED_VERSIONS } from '../../server/src/domain/compatibility';

const ROOT = join(__dirname, '..', '..');
const { versions, baseline } = JSON.parse(readFileSync(join(ROOT, 'compat', 'versions.json'), 'utf8')) as {
  versions: string[];
  baseline: string;
};
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

describe('the compatibility matrix', () => {
  it('starts at the floor of the peer ranges, and each version has its lockfile', () => {
    const floors = Object.values(SUPPORTED_VERSIONS).map((range) => minVersion(range)?.version);
    expect(new Set(floors)).toEqual(new Set([versions[0]]));
    for (const version of versions) expect(existsSync(join(ROOT, 'compat', version, 'package-lock.json'))).toBe(true);
  });

  it('is in the README’s table, with the version the main suites run on', () => {
    for (const version of [...versions, baseline]) expect(readme).toMatch(new RegExp(`\\n\\| ${version.replace(/\./g, '\\.')}\\b`));
  });
});
