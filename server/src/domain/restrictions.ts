// Who may change what of which account: the one rule (ARCHITECTURE.md, invariant 3). Pure: no Strapi, no clock.
// The admin routes, the management API, the Password panel's reasons and the user-model lifecycle all ask it.
import type { ActorType, RoleKind } from '../../../shared/contracts';
import type { RestrictionReason } from '../../../shared/contracts/reasons';

export type { RoleKind, RestrictionReason };

/** The fields of an account that decide who can get into it. Writing any of them is a change of the account. */
export const SECURITY_FIELDS = ['password', 'email', 'role', 'blocked', 'confirmed', 'provider'] as const;
export type SecurityField = (typeof SECURITY_FIELDS)[number];

const RANK: Record<RoleKind, number> = { regular: 0, privileged: 1, owner: 2 };
/** The more protected of two kinds: granting the owner role to a regular account makes it an owner's change. */
export const higherKind = (a: RoleKind, b: RoleKind): RoleKind => (RANK[a] >= RANK[b] ? a : b);

/** What an administrator or token may do, from its RBAC permissions (admins) or its kind (API tokens). */
export interface Permissions {
  sendCode: boolean;
  setPassword: boolean;
  manageOwners: boolean;
}

export interface Change {
  actor: { type: ActorType; id?: string };
  /** The account as it is before the change; null when it is being created. */
  target: { id: number; kind: RoleKind } | null;
  /** The kind its role gives it after the change, when the change sets a role. */
  grantedKind?: RoleKind;
  /** The security fields written; empty for an action on the account (sending a code, setting an expiry). */
  fields: readonly SecurityField[];
  /** The admin holds "Manage owner accounts" (Super Admin holds every permission). */
  mayManageOwners: boolean;
  allowAdminSetPassword: boolean;
}

/**
 * Why this actor may not make this change, or null when it may.
 * - Code running outside any request (the system: seed scripts, the console) is the site's own.
 * - The holder may always change their own password (users-permissions' change-password).
 * - With `allowAdminSetPassword` off, no administrator or token writes another account's password or email:
 *   owning the address is owning the password.
 * - Owner accounts (or a grant of the owner role) need an administrator holding "Manage owner accounts";
 *   privileged accounts (or a grant of such a role) need an administrator; anything else is refused.
 */
export function whyMayNotChange(change: Change): RestrictionReason | null {
  const { actor, target, fields } = change;
  if (actor.type === 'system') return null;
  const ownAccount = target !== null && actor.type === 'user' && actor.id === String(target.id);
  if (ownAccount && fields.length > 0 && fields.every((field) => field === 'password')) return null;
  const administers = actor.type === 'admin' || actor.type === 'api-token';
  if (administers && !change.allowAdminSetPassword) {
    if (fields.includes('password') || (target !== null && fields.includes('email'))) return 'admin-set-password-off';
  }
  const kind = higherKind(target?.kind ?? 'regular', change.grantedKind ?? 'regular');
  if (kind === 'regular') return null;
  if (actor.type !== 'admin') return kind === 'owner' ? 'owner-account' : 'privileged-account';
  if (kind === 'owner' && !change.mayManageOwners) return 'owner-requires-permission';
  return null;
}
