// Rate limits (rate-limiter-flexible): on the public routes, and on administrators' test emails. Counters live in
// memory by default, or in Redis or Strapi's own database so that several Strapi instances share one limit.
import { AsyncResource } from 'node:async_hooks';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import {
  RateLimiterMemory,
  RateLimiterMySQL,
  RateLimiterPostgres,
  RateLimiterRedis,
  RateLimiterRes,
  RateLimiterSQLite,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import { getConfig } from '../utils/plugin';
import type { PluginConfig, RateLimitRule } from '../config';
import { TEST_SEND_LIMIT } from '../../../shared/contracts';

type PublicLimitName = 'forgotPerIp' | 'forgotPerEmail' | 'checkPerIp' | 'resetPerIp';
const PUBLIC_LIMIT_NAMES: PublicLimitName[] = ['forgotPerIp', 'forgotPerEmail', 'checkPerIp', 'resetPerIp'];
/** `testSendPerAdmin`: Settings → Password reset emails, per administrator (TEST_SEND_LIMIT). */
export type LimitName = PublicLimitName | 'testSendPerAdmin';

interface Closable {
  quit?: () => Promise<unknown>;
  disconnect?: () => void;
}

/** Thrown when a limit is reached; the controller turns it into 429 with Retry-After. */
export class TooManyRequestsError extends errors.RateLimitError {
  constructor(public retryAfterSeconds: number) {
    super('Too many requests. Please wait before trying again.', { retryAfterSeconds });
  }
}

const rateLimitService = ({ strapi }: { strapi: Core.Strapi }) => {
  let limiters: Promise<Partial<Record<LimitName, RateLimiterAbstract>>> | null = null;
  let redisClient: Closable | null = null;

  type LimiterOptions = { keyPrefix: string; points: number; duration: number };
  type LimiterFactory = (options: LimiterOptions) => Promise<RateLimiterAbstract>;

  /** Wait for a database-backed limiter to have created its table. */
  const whenReady = (create: (ready: (error?: unknown) => void) => RateLimiterAbstract) =>
    new Promise<RateLimiterAbstract>((resolve, reject) => {
      const limiter = create((error) => (error ? reject(error) : resolve(limiter)));
    });

  /** How to make one limiter on the configured store. Shared stores fall back to memory while unreachable. */
  async function limiterFactory(config: PluginConfig['rateLimit']): Promise<LimiterFactory> {
    const insurance = (options: LimiterOptions) => ({ insuranceLimiter: new RateLimiterMemory(options) });
    if (config.store === 'redis') {
      // ioredis is an optional peer dependency: only sites that choose the Redis store need it.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const Redis = require('ioredis') as new (url: string, opts: object) => Closable & { once(event: string, cb: () => void): void };
      const client = new Redis(config.redisUrl ?? 'redis://127.0.0.1:6379', { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
      redisClient = client;
      await new Promise<void>((resolve) => {
        client.once('ready', resolve);
        client.once('error', resolve);
      });
      return async (options) => new RateLimiterRedis({ ...options, ...insurance(options), storeClient: client });
    }
    if (config.store === 'database') {
      const shared = { storeClient: strapi.db.connection, storeType: 'knex', tableName: 'password_reset_rate_limits' };
      const client = strapi.db.dialect.client;
      return (options) =>
        whenReady((ready) => {
          const all = { ...options, ...insurance(options), ...shared };
          if (client === 'postgres') return new RateLimiterPostgres(all, ready);
          if (client === 'mysql') return new RateLimiterMySQL(all, ready);
          return new RateLimiterSQLite(all, ready);
        });
    }
    return async (options) => new RateLimiterMemory(options);
  }

  async function build() {
    const config = getConfig(strapi).rateLimit;
    const createLimiter = await limiterFactory(config);
    const limiter = (name: LimitName, rule: RateLimitRule) =>
      createLimiter({ keyPrefix: `${config.keyPrefix}:${name}`, points: rule.points, duration: rule.durationSeconds });
    // The test-send limit holds even with `rateLimit.enabled` off: that option is about the public routes' load,
    // while each test is a real email from the site's sender that a stolen administrator session could repeat.
    const entries: Array<[LimitName, RateLimiterAbstract]> = [['testSendPerAdmin', await limiter('testSendPerAdmin', TEST_SEND_LIMIT)]];
    if (config.enabled) for (const name of PUBLIC_LIMIT_NAMES) entries.push([name, await limiter(name, config[name])]);
    return Object.fromEntries(entries) as Partial<Record<LimitName, RateLimiterAbstract>>;
  }

  // The memory store sets a timer per key that lives as long as the window (an hour). A timer keeps the async
  // context it was created in, and Strapi's request context is the whole request: counting inside the request
  // would pin every request's objects for an hour (a flood of 20,000 requests grew the process by 480 MB). So
  // limiters are called in a scope of their own, created here, outside any request.
  const outsideRequests = new AsyncResource('password-reset.rate-limit');

  return {
    /** Count one request against each named limit; throws TooManyRequestsError when any is exhausted. */
    async consume(checks: Array<[LimitName, string]>) {
      // A store that could not be reached is tried again on the next request.
      limiters ??= build().catch((error: unknown) => {
        limiters = null;
        throw error;
      });
      const ready = await limiters;
      for (const [name, key] of checks) {
        const limiter = ready[name];
        if (!limiter) continue;
        try {
          await outsideRequests.runInAsyncScope(() => limiter.consume(key));
        } catch (rejection) {
          if (rejection instanceof RateLimiterRes) {
            throw new TooManyRequestsError(Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)));
          }
          throw rejection;
        }
      }
    },

    async close() {
      limiters = null;
      if (redisClient) {
        await redisClient.quit?.().catch(() => redisClient?.disconnect?.());
        redisClient = null;
      }
    },
  };
};

export type RateLimitService = ReturnType<typeof rateLimitService>;
export default rateLimitService;
