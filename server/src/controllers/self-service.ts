// What the self-service routes share — this plugin's public routes, the signed-in holder's route, and
// users-permissions' taken-over routes: rate limits answered with Retry-After, a database out of reach answered
// with 503 and Retry-After, reading a new password, and accepting a link request or a reset.
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { getConfig, getPluginService } from '../utils/plugin';
import { isAllowedRedirect } from '../domain/redirects';
import { actorFromContext } from '../utils/actor';
import type { Ctx } from '../utils/context';
import { normalizeEmail } from '../domain/email';
import { clientKey } from '../domain/client-address';
import { isDatabaseUnavailable } from '../domain/database';
import { StoreUnavailableError, TooManyRequestsError, type LimitName } from '../services/rate-limit';
import type { LinkOptions } from '../services/recovery';
import { UNAVAILABLE_MESSAGE, UNAVAILABLE_RETRY_AFTER_SECONDS } from '../../../shared/contracts';
import { readBody, readEmail, readString } from './validate';

/** Count the request against the named limits; on refusal, answer 429 (or 503 while Redis is down, in `refuse` mode) with Retry-After. */
export async function enforceLimits(strapi: Core.Strapi, ctx: Ctx, checks: Array<[LimitName, string]>) {
  try {
    await getPluginService(strapi, 'rate-limit').consume(checks);
  } catch (error) {
    if (error instanceof TooManyRequestsError || error instanceof StoreUnavailableError)
      ctx.set('Retry-After', String(error.retryAfterSeconds));
    throw error;
  }
}

/**
 * A self-service route's handler, answering 503 with Retry-After when the database is out of reach (ARCHITECTURE.md,
 * "Delivery"). The reply is the same whatever the address (a link request fails on its one INSERT, which every
 * address makes alike: invariant 2) and says nothing was stored, which is true: a request is answered 200 only
 * once its outbox row is written. Every other error goes on to Strapi's error handling.
 */
export function selfServiceHandler(strapi: Core.Strapi, handler: (ctx: Ctx) => Promise<void>) {
  return async (ctx: Ctx) => {
    try {
      await handler(ctx);
    } catch (error) {
      if (!isDatabaseUnavailable(error)) throw error;
      answerUnavailable(strapi, ctx, (error as Error).message);
    }
  };
}

/** The answer of a self-service route while the database is out of reach: 503, Retry-After, "try again". */
export function answerUnavailable(strapi: Core.Strapi, ctx: Ctx, why: string) {
  strapi.log.warn(`[password-reset] ${ctx.method} ${ctx.path}: 503, the database is out of reach: ${why}`);
  ctx.status = 503;
  ctx.set('Retry-After', String(UNAVAILABLE_RETRY_AFTER_SECONDS));
  ctx.body = { data: null, error: { status: 503, name: 'ServiceUnavailableError', message: UNAVAILABLE_MESSAGE, details: {} } };
}

/** Reads `{ token | code, password, passwordConfirmation }` and checks the two passwords match. */
export function readNewPassword(body: Record<string, unknown>, tokenField: 'token' | 'code') {
  const token = readString(body, tokenField, { maxLength: 128 });
  const password = readString(body, 'password', { maxLength: 1024 });
  const confirmation = readString(body, 'passwordConfirmation', { maxLength: 1024 });
  if (password !== confirmation) {
    throw new errors.ValidationError('"password" and "passwordConfirmation" do not match.', {
      errors: [{ path: ['passwordConfirmation'], message: 'must match password' }],
    });
  }
  return { token, password };
}

/** `redirectTo`, when a link request names one: a URL on `redirectUrls`, else a 400 before anything else happens. */
function readRedirect(strapi: Core.Strapi, body: unknown): string | undefined {
  const value =
    typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>).redirectTo : undefined;
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length > 2048 || !isAllowedRedirect(value, getConfig(strapi).redirectUrls)) {
    throw new errors.ValidationError('"redirectTo" is not one of the pages this site allows.', {
      errors: [{ path: ['redirectTo'], message: 'must be one of the allowed front-end URLs' }],
    });
  }
  return value;
}

/** A link request, rate-limited per IP and per normalized address; written to the outbox, looked up after the reply. */
export async function acceptLinkRequest(strapi: Core.Strapi, ctx: Ctx, link: LinkOptions = {}) {
  const redirectTo = readRedirect(strapi, ctx.request.body);
  await enforceLimits(strapi, ctx, [['forgotPerIp', clientKey(ctx.ip)]]);
  const email = readEmail(readBody(ctx.request.body));
  await enforceLimits(strapi, ctx, [['forgotPerEmail', normalizeEmail(email)]]);
  await getPluginService(strapi, 'recovery').requestReset(email, actorFromContext(ctx), redirectTo ? { ...link, redirectTo } : link);
  ctx.body = { ok: true };
}

/** A reset with a code read from `tokenField`; returns the account whose password was set. */
export async function acceptReset(strapi: Core.Strapi, ctx: Ctx, tokenField: 'token' | 'code') {
  await enforceLimits(strapi, ctx, [['resetPerIp', clientKey(ctx.ip)]]);
  const { token, password } = readNewPassword(readBody(ctx.request.body), tokenField);
  return getPluginService(strapi, 'recovery').resetWithCode(token, password, actorFromContext(ctx));
}
