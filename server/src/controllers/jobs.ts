// What the admin routes and the management API share about sends and jobs: the answer to a send (results, or
// 202 and the job), and reading a job, its accounts and their CSV.
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { getPluginService } from '../utils/plugin';
import { describeReason, type JobStarted, type Reason, type SendCodesResponse, type SendResult } from '../../../shared/contracts';
import type { JobReader } from '../services/jobs';
import { readId } from './validate';
import { answerCsv } from './csv';
import type { Ctx } from '../utils/context';

/** Items per page of a job's accounts, at most. */
const MAX_PAGE_SIZE = 100;

/** Answer a send: 200 and a result per account, or 202 and the job that will send them. */
export function answerSend(ctx: Ctx, outcome: { results: SendResult[] } | JobStarted) {
  if ('job' in outcome) {
    ctx.status = 202;
    ctx.body = outcome;
    return;
  }
  const { results } = outcome;
  const count = (status: SendResult['status']) => results.filter((result) => result.status === status).length;
  const body: SendCodesResponse = {
    results: results.map((result) =>
      result.status === 'skipped' ? { ...result, message: describeReason(result.reason as Reason) } : result,
    ),
    summary: { sent: count('sent'), skipped: count('skipped'), failed: count('failed'), queued: count('queued') },
  };
  ctx.body = body;
}

/** The job the route names, if the reader may read it: another's job is a 404 like a missing one, so ids are not probed. */
export async function findJob(strapi: Core.Strapi, ctx: Ctx, reader: JobReader) {
  const job = await getPluginService(strapi, 'jobs').find(readId(ctx.params.id), reader);
  if (!job) throw new errors.NotFoundError('There is no job with this id.');
  return job;
}

const readPage = (ctx: Ctx, defaultSize: number) => ({
  page: ctx.query.page === undefined ? 1 : readId(ctx.query.page, 'page'),
  pageSize: ctx.query.pageSize === undefined ? defaultSize : Math.min(readId(ctx.query.pageSize, 'pageSize'), MAX_PAGE_SIZE),
});

/**
 * Handlers for `GET /jobs`, `GET /jobs/:id`, `GET /jobs/:id/items` and `GET /jobs/:id/items.csv`, each answering
 * what `readerOf(ctx)` may read.
 */
export const jobRoutes = (strapi: Core.Strapi, readerOf: (ctx: Ctx) => JobReader) => {
  const jobs = () => getPluginService(strapi, 'jobs');
  return {
    async listJobs(ctx: Ctx) {
      const { page, pageSize } = readPage(ctx, 10);
      ctx.body = await jobs().list(page, pageSize, readerOf(ctx));
    },

    async job(ctx: Ctx) {
      ctx.body = await findJob(strapi, ctx, readerOf(ctx));
    },

    async jobItems(ctx: Ctx) {
      const reader = readerOf(ctx);
      const job = await findJob(strapi, ctx, reader);
      const { page, pageSize } = readPage(ctx, 25);
      ctx.body = await jobs().items(job.id, page, pageSize, reader);
    },

    async jobCsv(ctx: Ctx) {
      const reader = readerOf(ctx);
      const job = await findJob(strapi, ctx, reader);
      answerCsv(ctx, `password-reset-job-${job.id}.csv`, jobs().csv(job.id, reader));
    },
  };
};
