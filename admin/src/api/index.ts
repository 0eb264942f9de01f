// Calls to the plugin's admin routes (mounted at /password-reset), typed as the server answers them.
import * as React from 'react';
import { useFetchClient } from '@strapi/strapi/admin';

export interface ActionVerdict {
  allowed: boolean;
  reason?: string;
}

export interface AccountStatus {
  userId: number;
  email: string | null;
  username: string | null;
  activated: boolean;
  blocked: boolean;
  kind: 'owner' | 'privileged' | 'regular';
  expiresAt: string | null;
  expired: boolean;
  passwordChangedAt: string | null;
  lastCode: {
    purpose: 'reset' | 'activation';
    sentAt: string;
    expiresAt: string;
    usedAt: string | null;
    revokedAt: string | null;
    state: 'live' | 'used' | 'revoked' | 'expired';
  } | null;
  actions: { sendCode: ActionVerdict; setPassword: ActionVerdict; setExpiry: ActionVerdict };
}

export interface SendResult {
  userId: number;
  status: 'sent' | 'skipped' | 'failed';
  reason?: string;
  message?: string;
}

export interface SendCodesResponse {
  results: SendResult[];
  summary: { sent: number; skipped: number; failed: number };
}

export interface PolicyFailure {
  rule: string;
  message: string;
  limit?: number;
}

export interface AuditEvent {
  id: number;
  action: string;
  actorType: string;
  actorId: string | null;
  ip: string | null;
  targetUserId: number | null;
  details: Record<string, unknown> | null;
  createdAt: string;
}

export interface AuditPage {
  results: AuditEvent[];
  pagination: { page: number; pageSize: number; total: number; pageCount: number };
}

export type AuditFilters = Partial<Record<'userId' | 'actorType' | 'actorId' | 'action' | 'from' | 'to', string>>;

export function usePasswordResetApi() {
  const { get, post, put } = useFetchClient();
  return React.useMemo(
    () => ({
      status: async (userId: number) => (await get<AccountStatus>(`/password-reset/users/${userId}/status`)).data,
      sendCodes: async (userIds: number[]) => (await post<SendCodesResponse>('/password-reset/codes', { userIds })).data,
      setPassword: async (userId: number, password: string, notify: boolean) =>
        (await put(`/password-reset/users/${userId}/password`, { password, notify })).data,
      setExpiry: async (userId: number, expiresAt: string | null) =>
        (await put<AccountStatus>(`/password-reset/users/${userId}/expiry`, { expiresAt })).data,
      checkPolicy: async (password: string, userId: number) =>
        (await post<{ failures: PolicyFailure[] }>('/password-reset/policy/check', { password, userId })).data.failures,
      audit: async (filters: AuditFilters, page: number, pageSize: number) =>
        (await get<AuditPage>('/password-reset/audit', { params: { ...filters, page, pageSize } })).data,
      verifyPin: async (userId: number, pin: string) =>
        (await post<{ match: boolean; attemptsLeft: number }>(`/password-reset/users/${userId}/verify-pin`, { pin })).data,
    }),
    [get, post, put],
  );
}

/** The message of a failed call, as the server wrote it. */
export function errorMessage(error: unknown, fallback: string): string {
  const response = (error as { response?: { data?: { error?: { message?: string } } } })?.response;
  return response?.data?.error?.message ?? fallback;
}
