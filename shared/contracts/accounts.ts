// The shapes the admin routes answer with, as the server builds them and the admin panel reads them.
import type { Reason } from './reasons';
import type { AuditAction } from './audit';
import type { Pagination } from './jobs';

export type RoleKind = 'owner' | 'privileged' | 'regular';
export type Purpose = 'reset' | 'activation';

/** Who acts: an administrator, an API token, a signed-in account holder, a visitor, or the system (no request). */
export const ACTOR_TYPES = ['admin', 'api-token', 'visitor', 'user', 'system'] as const;
export type ActorType = (typeof ACTOR_TYPES)[number];
export type CodeState = 'live' | 'used' | 'revoked' | 'expired';

/** Whether the caller may take an action on the account, and if not, why (a text to show). */
export interface ActionVerdict {
  allowed: boolean;
  reason?: string;
}

/** `GET /password-reset/users/:id/status`. */
export interface AccountStatus {
  userId: number;
  email: string | null;
  username: string | null;
  activated: boolean;
  blocked: boolean;
  kind: RoleKind;
  expiresAt: string | null;
  expired: boolean;
  passwordChangedAt: string | null;
  lastCode: {
    purpose: Purpose;
    sentAt: string;
    expiresAt: string;
    usedAt: string | null;
    revokedAt: string | null;
    state: CodeState;
  } | null;
  actions: { sendCode: ActionVerdict; setPassword: ActionVerdict; setExpiry: ActionVerdict };
}

/** One account's outcome in a send: sent, skipped with a reason code, failed, or queued for another try. */
export interface SendResult {
  userId: number;
  /** The account's address, to name it in the results (`null` for an unknown account or one without an address). */
  email: string | null;
  status: 'sent' | 'skipped' | 'failed' | 'queued';
  /** With `skipped`: the reason code. With `failed` or `queued`: what went wrong, in words. */
  reason?: Reason | string;
  /** With `skipped`: the reason's text. */
  message?: string;
  /** With `failed`: whether the database could not store the code, or the mail server did not take the email. */
  failure?: 'database' | 'email';
}

/** `POST /password-reset/codes`. */
export interface SendCodesResponse {
  results: SendResult[];
  summary: { sent: number; skipped: number; failed: number; queued: number };
}

export type PolicyRule = 'too-short' | 'too-long' | 'common' | 'personal-info';

/** One rule a password breaks (`POST /password-reset/policy/check` answers a list). */
export interface PolicyFailure {
  rule: PolicyRule;
  message: string;
  /** The length limit a too-short or too-long password missed. */
  limit?: number;
}

/** The account an audit row or a webhook is about, as it is now (`null` once deleted). */
export interface AccountRef {
  id: number;
  documentId: string;
  email: string | null;
  username: string | null;
}

/** One row of `GET /password-reset/audit`. */
export interface AuditEvent {
  id: number;
  action: AuditAction;
  actorType: ActorType;
  actorId: string | null;
  /** The administrator's name, the API token's name or the account holder's username; `null` for visitors and the system. */
  actorName: string | null;
  ip: string | null;
  targetUserId: number | null;
  account: AccountRef | null;
  details: Record<string, unknown> | null;
  createdAt: string;
}

export interface AuditPage {
  results: AuditEvent[];
  pagination: Pagination;
}

export const AUDIT_FILTERS = ['userId', 'actorType', 'actorId', 'action', 'from', 'to'] as const;
export type AuditFilters = Partial<Record<(typeof AUDIT_FILTERS)[number], string>>;
