// Calls to the plugin's admin routes (mounted at /password-reset), typed by the contract the server answers with.
import * as React from 'react';
import { useFetchClient } from '@strapi/strapi/admin';

import type {
  AccountStatus,
  AuditFilters,
  AuditPage,
  DeliveryHealth,
  DryRunResponse,
  EmailTemplate,
  JobItemsPage,
  JobsPage,
  JobStarted,
  JobSummary,
  PolicyFailure,
  SendCodesResponse,
  TemplateEntry,
  TemplateName,
  TemplatePreview,
  TemplateProblem,
  TemplatesCatalog,
  TemplateTestRequest,
  TemplateTestSent,
} from '../../../shared/contracts';

export type {
  AccountStatus,
  ActionVerdict,
  AuditEvent,
  AuditFilters,
  AuditPage,
  DeliveryHealth,
  RecentFailure,
  DryRunResponse,
  EmailTemplate,
  JobCounts,
  JobItem,
  JobItemsPage,
  JobsPage,
  JobStarted,
  JobSummary,
  PolicyFailure,
  SendCodesResponse,
  SendResult,
  TemplateEntry,
  TemplateName,
  TemplatePart,
  TemplatePreview,
  TemplateProblem,
  TemplatesCatalog,
  TemplateTestSent,
} from '../../../shared/contracts';

/** A Strapi webhook, as `GET /admin/webhooks` lists it. */
export interface Webhook {
  id: string;
  name: string;
  url: string;
  headers: Record<string, string>;
  events: string[];
  isEnabled: boolean;
}

/** What a send answers: the results at once (a few accounts), or the job that sends them in the background. */
export type SendOutcome = SendCodesResponse | JobStarted;

/** `GET /password-reset/jobs`, newest first. */
export const isJobStarted = (outcome: SendOutcome): outcome is JobStarted => 'job' in outcome;

export function usePasswordResetApi() {
  const { get, post, put, del } = useFetchClient();
  return React.useMemo(() => {
    const template = (locale: string, name: TemplateName) => `/password-reset/templates/${encodeURIComponent(locale)}/${name}`;
    // A CSV route needs the admin's token, so a plain link would not do: fetch it, and let the caller save it.
    const csv = async (path: string, params: object, fallbackName: string) => {
      const { data, headers } = await get(path, { params, responseType: 'blob' });
      const filename = /filename="([^"]+)"/.exec(headers?.get('Content-Disposition') ?? '')?.[1] ?? fallbackName;
      return { blob: data as Blob, filename };
    };
    return {
      status: async (userId: number) => (await get<AccountStatus>(`/password-reset/users/${userId}/status`)).data,
      dryRun: async (userIds: number[]) => (await post<DryRunResponse>('/password-reset/codes/dry-run', { userIds })).data,
      sendCodes: async (userIds: number[]) => (await post<SendOutcome>('/password-reset/codes', { userIds })).data,
      /** One account: always answered at once, since `bulk.inlineLimit` is at least 1. */
      sendCode: async (userId: number) => {
        const outcome = (await post<SendOutcome>('/password-reset/codes', { userIds: [userId] })).data;
        if (isJobStarted(outcome)) throw new Error('A send to one account was answered with a job.');
        return outcome.results[0];
      },
      jobs: async (page: number, pageSize: number) => (await get<JobsPage>('/password-reset/jobs', { params: { page, pageSize } })).data,
      job: async (jobId: number) => (await get<JobSummary>(`/password-reset/jobs/${jobId}`)).data,
      jobItems: async (jobId: number, page: number, pageSize: number) =>
        (await get<JobItemsPage>(`/password-reset/jobs/${jobId}/items`, { params: { page, pageSize } })).data,
      jobCsv: (jobId: number) => csv(`/password-reset/jobs/${jobId}/items.csv`, {}, `job-${jobId}.csv`),
      retryJob: async (jobId: number) => (await post<SendOutcome>(`/password-reset/jobs/${jobId}/retry`)).data,
      setPassword: async (userId: number, password: string, notify: boolean) =>
        (await put(`/password-reset/users/${userId}/password`, { password, notify })).data,
      setExpiry: async (userId: number, expiresAt: string | null) =>
        (await put<AccountStatus>(`/password-reset/users/${userId}/expiry`, { expiresAt })).data,
      checkPolicy: async (password: string, userId: number) =>
        (await post<{ failures: PolicyFailure[] }>('/password-reset/policy/check', { password, userId })).data.failures,
      /** Delivery health: the outbox's state, with the addresses this administrator may see. */
      health: async () => (await get<DeliveryHealth>('/password-reset/health')).data,
      audit: async (filters: AuditFilters, page: number, pageSize: number) =>
        (await get<AuditPage>('/password-reset/audit', { params: { ...filters, page, pageSize } })).data,
      /** Every row the filters select, as CSV. */
      auditCsv: (filters: AuditFilters) => csv('/password-reset/audit.csv', filters, 'password-reset-audit.csv'),
      /** Strapi's own webhook routes (its permissions `admin::webhooks.read` and `.update` apply). */
      webhooks: async () => (await get<{ data: Webhook[] }>('/admin/webhooks')).data.data,
      updateWebhook: async ({ id, name, url, headers, isEnabled }: Webhook, events: string[]) =>
        (await put<{ data: Webhook }>(`/admin/webhooks/${id}`, { name, url, headers, isEnabled, events })).data.data,
      verifyPin: async (userId: number, pin: string) =>
        (await post<{ match: boolean; attemptsLeft: number }>(`/password-reset/users/${userId}/verify-pin`, { pin })).data,
      /** Settings → Password reset emails: which emails and languages there are, and each email's variables. */
      templates: async () => (await get<TemplatesCatalog>('/password-reset/templates')).data,
      template: async (locale: string, name: TemplateName) => (await get<TemplateEntry>(template(locale, name))).data,
      /** A 400 carrying the problems (`templateProblemsOf`) when the server refuses it; nothing is stored then. */
      saveTemplate: async (locale: string, name: TemplateName, value: EmailTemplate) =>
        (await put<TemplateEntry>(template(locale, name), value)).data,
      resetTemplate: async (locale: string, name: TemplateName) => (await del<TemplateEntry>(template(locale, name))).data,
      /** The email written with sample values, and what a save would refuse (listed, not refused). */
      previewTemplate: async (locale: string, name: TemplateName, value: EmailTemplate) =>
        (await post<TemplatePreview>(`${template(locale, name)}/preview`, value)).data,
      /** Sent to the signed-in administrator's own address. */
      /** `value.to` is the address the confirmation named: the server sends only while it is the administrator's own. */
      testTemplate: async (locale: string, name: TemplateName, value: TemplateTestRequest) =>
        (await post<TemplateTestSent>(`${template(locale, name)}/test`, value)).data,
    };
  }, [get, post, put, del]);
}

/** The message of a failed call, as the server wrote it. */
export function errorMessage(error: unknown, fallback: string): string {
  const response = (error as { response?: { data?: { error?: { message?: string } } } })?.response;
  return response?.data?.error?.message ?? fallback;
}

/** The status and details of a failed call, for the answers a page words itself (a 409, a 429). */
export function errorAnswer(error: unknown): { status?: number; details: Record<string, unknown> } {
  const response = (error as { response?: { status?: number; data?: { error?: { details?: Record<string, unknown> } } } })?.response;
  return { status: response?.status, details: response?.data?.error?.details ?? {} };
}

/** Why the server refused a template (a save or a test), one problem per part and reason; none for any other failure. */
export function templateProblemsOf(error: unknown): TemplateProblem[] {
  const response = (error as { response?: { data?: { error?: { details?: { problems?: unknown } } } } })?.response;
  const problems = response?.data?.error?.details?.problems;
  return Array.isArray(problems) ? (problems as TemplateProblem[]) : [];
}
