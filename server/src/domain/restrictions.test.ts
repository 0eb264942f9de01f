// The one rule about who may change what of which account: every case a user story names.
import { whyMayNotChange, type Change } from './restrictions';

const change = (overrides: Partial<Change>): Change => ({
  actor: { type: 'admin', id: '7' },
  target: { id: 1, kind: 'regular' },
  fields: ['password'],
  mayManageOwners: false,
  allowAdminSetPassword: true,
  ...overrides,
});

describe('whyMayNotChange', () => {
  it('lets any administrator or token change a regular account', () => {
    expect(whyMayNotChange(change({}))).toBeNull();
    expect(whyMayNotChange(change({ actor: { type: 'api-token', id: '2' }, fields: ['email', 'blocked'] }))).toBeNull();
  });

  it('keeps owner accounts for administrators holding "Manage owner accounts"', () => {
    const owner = { id: 1, kind: 'owner' as const };
    expect(whyMayNotChange(change({ target: owner }))).toBe('owner-requires-permission');
    expect(whyMayNotChange(change({ target: owner, mayManageOwners: true }))).toBeNull();
    expect(whyMayNotChange(change({ target: owner, actor: { type: 'api-token', id: '2' }, mayManageOwners: true }))).toBe('owner-account');
    expect(whyMayNotChange(change({ target: owner, actor: { type: 'visitor' }, fields: ['confirmed'] }))).toBe('owner-account');
  });

  it('keeps privileged accounts for the admin panel', () => {
    const privileged = { id: 1, kind: 'privileged' as const };
    expect(whyMayNotChange(change({ target: privileged }))).toBeNull();
    expect(whyMayNotChange(change({ target: privileged, actor: { type: 'api-token', id: '2' } }))).toBe('privileged-account');
  });

  it('treats granting the owner or privileged role as changing such an account, on update and on create', () => {
    expect(whyMayNotChange(change({ fields: ['role'], grantedKind: 'owner' }))).toBe('owner-requires-permission');
    expect(whyMayNotChange(change({ target: null, fields: ['email', 'role'], grantedKind: 'owner' }))).toBe('owner-requires-permission');
    expect(whyMayNotChange(change({ actor: { type: 'api-token' }, target: null, fields: ['role'], grantedKind: 'privileged' }))).toBe(
      'privileged-account',
    );
    // Demoting an owner is changing an owner.
    expect(whyMayNotChange(change({ target: { id: 1, kind: 'owner' }, fields: ['role'], grantedKind: 'regular' }))).toBe(
      'owner-requires-permission',
    );
  });

  it('counts an action on the account (a code, an expiry) like a change', () => {
    expect(whyMayNotChange(change({ target: { id: 1, kind: 'owner' }, fields: [] }))).toBe('owner-requires-permission');
    expect(whyMayNotChange(change({ fields: [] }))).toBeNull();
  });

  it('lets the holder change their own password, and nothing else of a protected account', () => {
    const own = { actor: { type: 'user' as const, id: '1' }, target: { id: 1, kind: 'owner' as const } };
    expect(whyMayNotChange(change({ ...own, fields: ['password'] }))).toBeNull();
    expect(whyMayNotChange(change({ ...own, fields: ['email'] }))).toBe('owner-account');
    expect(whyMayNotChange(change({ actor: { type: 'user', id: '2' }, target: { id: 1, kind: 'owner' } }))).toBe('owner-account');
  });

  it('with allowAdminSetPassword off, refuses administrators and tokens another account’s password or email, not a new account’s email', () => {
    const off = { allowAdminSetPassword: false };
    expect(whyMayNotChange(change({ ...off }))).toBe('admin-set-password-off');
    expect(whyMayNotChange(change({ ...off, fields: ['email'], actor: { type: 'api-token' } }))).toBe('admin-set-password-off');
    expect(whyMayNotChange(change({ ...off, fields: ['blocked'] }))).toBeNull();
    expect(whyMayNotChange(change({ ...off, target: null, fields: ['email'] }))).toBeNull();
    expect(whyMayNotChange(change({ ...off, actor: { type: 'user', id: '1' } }))).toBeNull();
  });

  it('trusts code running outside any request', () => {
    expect(whyMayNotChange(change({ actor: { type: 'system' }, target: { id: 1, kind: 'owner' }, fields: ['role'] }))).toBeNull();
  });
});
