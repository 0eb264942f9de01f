// Answer with a CSV download streamed from an async generator of lines (a job's accounts, the audit log).
import { Readable } from 'node:stream';
import type { Ctx } from '../utils/context';

export function answerCsv(ctx: Ctx, filename: string, lines: AsyncIterable<string>) {
  ctx.set('Content-Type', 'text/csv; charset=utf-8');
  ctx.set('Content-Disposition', `attachment; filename="${filename}"`);
  const stream = Readable.from(lines);
  // A failure after the first bytes cannot become an error status any more (Koa only logs it and leaves the
  // response open): cut the connection, so that the client sees a broken download rather than waiting for ever.
  stream.once('error', () => ctx.res.destroy());
  ctx.body = stream;
}
