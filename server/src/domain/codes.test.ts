// What keeps a code bound to its account, and where a code stands.
import { bindingOf, codeState, codeStillApplies } from './codes';

describe('codeState', () => {
  const now = new Date('2026-11-23T10:00:00Z');
  const code = { usedAt: null, revokedAt: null, expiresAt: '2026-11-23T11:00:00Z' };
  it('is live until its expiry, then expired; used or revoked whatever the time', () => {
    expect(codeState(code, now)).toBe('live');
    expect(codeState(code, new Date('2026-11-23T11:00:00Z'))).toBe('expired');
    expect(codeState({ ...code, usedAt: '2026-11-23T09:00:00Z' }, now)).toBe('used');
    expect(codeState({ ...code, revokedAt: '2026-11-23T09:00:00Z' }, now)).toBe('revoked');
  });
});

describe('codeStillApplies', () => {
  const account = { email: 'Someone@Example.test', blocked: false, kind: 'regular' as const };
  const code = bindingOf(account);

  it('holds while the account is as it was, whatever the case of its address', () => {
    expect(codeStillApplies(code, account)).toBe(true);
    expect(codeStillApplies(code, { ...account, email: ' someone@example.TEST' })).toBe(true);
  });

  it('fails once the address changed, the account is blocked, or it became owner or privileged', () => {
    expect(codeStillApplies(code, { ...account, email: 'other@example.test' })).toBe(false);
    expect(codeStillApplies(code, { ...account, blocked: true })).toBe(false);
    expect(codeStillApplies(code, { ...account, kind: 'owner' })).toBe(false);
    expect(codeStillApplies(code, { ...account, kind: 'privileged' })).toBe(false);
  });

  it('lets a code sent to an owner be used by that owner, even if demoted since', () => {
    const ownerCode = bindingOf({ ...account, kind: 'owner' });
    expect(codeStillApplies(ownerCode, { ...account, kind: 'owner' })).toBe(true);
    expect(codeStillApplies(ownerCode, { ...account, kind: 'regular' })).toBe(true);
  });

  it('holds a code from before bindings were recorded to a regular account', () => {
    expect(codeStillApplies({ emailHash: null, accountKind: null }, account)).toBe(true);
    expect(codeStillApplies({ emailHash: null, accountKind: null }, { ...account, kind: 'owner' })).toBe(false);
  });
});
