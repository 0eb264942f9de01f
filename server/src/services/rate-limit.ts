// Rate limits on the public routes (rate-limiter-flexible). Counters live in memory by default, or in Redis
// or Strapi's own database so that several Strapi instances share one limit.
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

export type LimitName = 'forgotPerIp' | 'forgotPerEmail' | 'checkPerIp' | 'resetPerIp';
const LIMIT_NAMES: LimitName[] = ['forgotPerIp', 'forgotPerEmail', 'checkPerIp', 'resetPerIp'];

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
  let limiters: Partial<Record<LimitName, RateLimiterAbstract>> | null = null;
  let redisClient: Closable | null = null;

  type LimiterFactory = (options: { keyPrefix: string; points: number; duration: number }) => RateLimiterAbstract;

  /** How to make one limiter on the configured store. */
  function limiterFactory(config: PluginConfig['rateLimit']): LimiterFactory {
    if (config.store === 'redis') {
      // ioredis is an optional peer dependency: only sites that choose the Redis store need it.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const Redis = require('ioredis') as new (url: string, opts: object) => Closable;
      redisClient = new Redis(config.redisUrl ?? 'redis://127.0.0.1:6379', { enableOfflineQueue: false, lazyConnect: false });
      return (options) => new RateLimiterRedis({ ...options, storeClient: redisClient });
    }
    if (config.store === 'database') {
      const knex = strapi.db.connection;
      const client = strapi.db.dialect.client;
      const shared = { storeClient: knex, storeType: 'knex', tableName: 'password_reset_rate_limits' };
      if (client === 'postgres') return (options) => new RateLimiterPostgres({ ...options, ...shared });
      if (client === 'mysql') return (options) => new RateLimiterMySQL({ ...options, ...shared });
      return (options) => new RateLimiterSQLite({ ...options, ...shared });
    }
    return (options) => new RateLimiterMemory(options);
  }

  function build() {
    const config = getConfig(strapi).rateLimit;
    if (!config.enabled) return {};
    const createLimiter = limiterFactory(config);
    return Object.fromEntries(
      LIMIT_NAMES.map((name) => {
        const rule: RateLimitRule = config[name];
        return [name, createLimiter({ keyPrefix: `password-reset:${name}`, points: rule.points, duration: rule.durationSeconds })];
      }),
    ) as Record<LimitName, RateLimiterAbstract>;
  }

  return {
    /** Count one request against each named limit; throws TooManyRequestsError when any is exhausted. */
    async consume(checks: Array<[LimitName, string]>) {
      limiters ??= build();
      for (const [name, key] of checks) {
        const limiter = limiters[name];
        if (!limiter) continue;
        try {
          await limiter.consume(key);
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
