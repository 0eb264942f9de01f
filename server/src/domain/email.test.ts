// Addresses compare trimmed and case-insensitively; a code keeps only a fingerprint of its address.
import { emailFingerprint, normalizeEmail } from './email';

it('normalizes an address and fingerprints the normalized form', () => {
  expect(normalizeEmail('  Someone@Example.TEST ')).toBe('someone@example.test');
  expect(emailFingerprint('Someone@Example.TEST')).toBe(emailFingerprint('someone@example.test'));
  expect(emailFingerprint('someone@example.test')).toMatch(/^[0-9a-f]{64}$/);
  expect(emailFingerprint(null)).toBeNull();
});
