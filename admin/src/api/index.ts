// Calls to the plugin's admin routes (mounted at /password-reset), typed by the contract the server answers with.
import * as React from 'react';
import { useFetchClient } from '@strapi/strapi/admin';

import type { AccountStatus, AuditFilters, AuditPage, PolicyFailure, SendCodesResponse } from '../../../shared/contracts';

export type { AccountStatus, ActionVerdict, AuditFilters, AuditPage, PolicyFailure, SendCodesResponse } from '../../../shared/contracts';

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
