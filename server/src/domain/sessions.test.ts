// Which tokens a password change ends: exactly with `iatMs`, by their session within the change's second in
// refresh mode, to the second for tokens issued before the plugin was installed.
import { tokenAgainstPasswordChange } from './sessions';

const change = Date.parse('2026-12-07T03:00:00.500Z');
const second = Math.floor(change / 1000);

describe('tokenAgainstPasswordChange', () => {
  it('compares a token carrying iatMs to the millisecond', () => {
    expect(tokenAgainstPasswordChange({ kind: 'exact', ms: change - 1 }, change)).toBe('refused');
    expect(tokenAgainstPasswordChange({ kind: 'exact', ms: change }, change)).toBe('valid');
    expect(tokenAgainstPasswordChange({ kind: 'exact', ms: change + 1 }, change)).toBe('valid');
  });

  it('refuses a refresh-mode token of an earlier second, accepts one of a later second, and asks its session in the same second', () => {
    const token = (seconds: number) => ({ kind: 'session' as const, seconds, sessionId: 'a1' });
    expect(tokenAgainstPasswordChange(token(second - 1), change)).toBe('refused');
    expect(tokenAgainstPasswordChange(token(second), change)).toBe('ask-session');
    expect(tokenAgainstPasswordChange(token(second + 1), change)).toBe('valid');
  });

  it('keeps comparing a token from before the plugin to the second', () => {
    expect(tokenAgainstPasswordChange({ kind: 'seconds', seconds: second - 1 }, change)).toBe('refused');
    expect(tokenAgainstPasswordChange({ kind: 'seconds', seconds: second }, change)).toBe('valid');
  });
});
