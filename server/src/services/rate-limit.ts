// Rate limits (rate-limiter-flexible): on the public routes, and on administrators' test emails. Counters live in
// memory by default, or in Redis or Strapi's own database so that several Strapi instances share one limit. While
// Redis cannot be reached the limits count in this instance's memory or refuse the routes (ARCHITECTURE.md, "Rate
// limits").
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
import { TEST_SEND_LIMIT, UNAVAILABLE_MESSAGE, UNAVAILABLE_RETRY_AFTER_SECONDS } from '../../../shared/contracts';

type PublicLimitName = 'forgotPerIp' | 'forgotPerEmail' | 'checkPerIp' | 'resetPerIp';
const PUBLIC_LIMIT_NAMES: PublicLimitName[] = ['forgotPerIp', 'forgotPerEmail', 'checkPerIp', 'resetPerIp'];
/** `testSendPerAdmin`: Settings → Password reset emails, per administrator (TEST_SEND_LIMIT). */
export type LimitName = PublicLimitName | 'testSendPerAdmin';

/** What this service uses of an ioredis client. */
interface RedisClient {
  status: string;
  stream?: { destroy(): void };
  quit(): Promise<unknown>;
  disconnect(): void;
  on(event: 'ready' | 'error', listener: (error?: Error) => void): unknown;
  off(event: 'ready' | 'error', listener: (error?: Error) => void): unknown;
}

/** One named limit: its counters in the configured store, and where it counts while Redis cannot be reached. */
interface Limit {
  store: RateLimiterAbstract;
  /** Only for the Redis store (the database store falls back on its own, through rate-limiter-flexible's insurance). */
  redis?: { client: RedisClient; whileDown: RateLimiterMemory };
}

/** During an outage, while a connection is up, one request at most this often tries Redis again. */
const PROBE_INTERVAL_MS = 1000;

/** Thrown when a limit is reached; the controller turns it into 429 with Retry-After. */
export class TooManyRequestsError extends errors.RateLimitError {
  constructor(public retryAfterSeconds: number) {
    super('Too many requests. Please wait before trying again.', { retryAfterSeconds });
  }
}

/**
 * Thrown while Redis cannot be reached and `rateLimit.whenStoreDown` is `refuse`: a 503 with Retry-After, the same
 * for every request. Strapi answers an http-errors error with its own status and message and logs nothing, but
 * @strapi/utils exports that class only as an abstract one: this error joins its prototype chain instead.
 */
export class StoreUnavailableError extends Error {
  readonly status = 503;
  readonly statusCode = 503;
  readonly expose = true;
  constructor(public retryAfterSeconds: number) {
    super(UNAVAILABLE_MESSAGE);
    this.name = 'ServiceUnavailableError';
  }
}
Object.setPrototypeOf(StoreUnavailableError.prototype, errors.HttpError.prototype);

const rateLimitService = ({ strapi }: { strapi: Core.Strapi }) => {
  let limits: Promise<Partial<Record<LimitName, Limit>>> | null = null;
  let redisClient: RedisClient | null = null;

  type LimiterOptions = { keyPrefix: string; points: number; duration: number };
  type LimitFactory = (options: LimiterOptions) => Promise<Limit>;

  /** Wait for a database-backed limiter to have created its table. */
  const whenReady = (create: (ready: (error?: unknown) => void) => RateLimiterAbstract) =>
    new Promise<RateLimiterAbstract>((resolve, reject) => {
      const limiter = create((error) => (error ? reject(error) : resolve(limiter)));
    });

  // An outage of Redis, as this instance sees it (ARCHITECTURE.md, "Rate limits"). It starts at the first failure
  // (an error event of the client, a command that failed or passed its deadline, no connection when a request needs
  // one) and ends when a connection passes ioredis's ready check or a command succeeds: one log line each, however
  // many requests and reconnections happen in between. It outlives a rebuild of the limiters.
  let outage = false;
  let nextProbeAt = 0;

  function outageStarts(reason: string) {
    nextProbeAt = Date.now() + PROBE_INTERVAL_MS;
    if (outage) return;
    outage = true;
    const meanwhile =
      getConfig(strapi).rateLimit.whenStoreDown === 'refuse'
        ? 'the rate-limited routes answer 503'
        : 'each instance counts requests in its own memory';
    strapi.log.warn(`[password-reset] Rate limits: Redis cannot be reached (${reason}); until it can, ${meanwhile}.`);
  }

  function outageEnds() {
    if (!outage) return;
    outage = false;
    strapi.log.info('[password-reset] Rate limits: Redis is reachable again; the limits are shared again.');
  }

  /** Whether this request should use Redis; during an outage, only one request a second, and only over a connection. */
  function redisUsable(client: RedisClient): boolean {
    if (client !== redisClient) return false; // closed, and replaced at the next request
    if (client.status !== 'ready') {
      outageStarts(`no connection (${client.status})`);
      return false;
    }
    if (!outage) return true;
    if (Date.now() < nextProbeAt) return false;
    nextProbeAt = Date.now() + PROBE_INTERVAL_MS;
    return true;
  }

  function redisFailed(client: RedisClient, error: unknown) {
    if (client !== redisClient) return;
    const reason = error instanceof Error ? error.message : String(error);
    outageStarts(reason);
    // A command past its deadline leaves the connection waiting for an answer that may never come: drop it, so that
    // ioredis connects again and its ready check (under the same deadline) says when Redis answers.
    if (/timed out/i.test(reason) && client.status === 'ready') client.stream?.destroy();
  }

  /** An ioredis client whose every call has the deadline `redisTimeoutMs`, and no command ever waits for a connection. */
  async function connectRedis(config: PluginConfig['rateLimit']): Promise<RedisClient> {
    // ioredis is an optional peer dependency: only sites that choose the Redis store need it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const Redis = require('ioredis') as new (url: string, opts: object) => RedisClient;
    const deadline = config.redisTimeoutMs;
    const client = new Redis(config.redisUrl ?? 'redis://127.0.0.1:6379', {
      // Each command, the ready check's INFO included, fails once the deadline has passed, answer or not.
      commandTimeout: deadline,
      // So does a connection that is not made (a host that drops packets); ioredis then tries again. A connection
      // being closed that the other end does not close is destroyed after the deadline too.
      connectTimeout: deadline,
      disconnectTimeout: deadline,
      // Without a connection a command fails at once: none waits in a queue for a connection to come back.
      enableOfflineQueue: false,
      // A failed command was counted in memory or refused; sending it again after a reconnection would count it
      // twice. Commands in flight when a connection drops fail at once rather than at their deadline.
      maxRetriesPerRequest: 0,
      autoResendUnfulfilledCommands: false,
    });
    redisClient = client;
    client.on('error', (error) => {
      if (client === redisClient) outageStarts(error?.message ?? 'error');
    });
    client.on('ready', () => {
      if (client !== redisClient) return;
      nextProbeAt = 0;
      outageEnds();
    });
    // The first request waits for the first connection, at most the deadline: a Redis down at boot is an outage.
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        client.off('ready', done);
        client.off('error', done);
        resolve();
      };
      const timer = setTimeout(done, deadline);
      client.on('ready', done);
      client.on('error', done);
    });
    return client;
  }

  /** How to make one limit on the configured store. */
  async function limitFactory(config: PluginConfig['rateLimit']): Promise<LimitFactory> {
    if (config.store === 'redis') {
      const client = await connectRedis(config);
      return async (options) => ({
        store: new RateLimiterRedis({ ...options, storeClient: client }),
        redis: { client, whileDown: new RateLimiterMemory(options) },
      });
    }
    if (config.store === 'database') {
      // Queries go through Strapi's database connection and pool, with their deadlines (none of their own here: the
      // routes need the database anyway). When one fails, rate-limiter-flexible counts that request in memory
      // instead (its `insuranceLimiter`), silently; `whenStoreDown` is the Redis store's.
      const shared = { storeClient: strapi.db.connection, storeType: 'knex', tableName: 'password_reset_rate_limits' };
      const client = strapi.db.dialect.client;
      return async (options) => ({
        store: await whenReady((ready) => {
          const all = { ...options, insuranceLimiter: new RateLimiterMemory(options), ...shared };
          if (client === 'postgres') return new RateLimiterPostgres(all, ready);
          if (client === 'mysql') return new RateLimiterMySQL(all, ready);
          return new RateLimiterSQLite(all, ready);
        }),
      });
    }
    return async (options) => ({ store: new RateLimiterMemory(options) });
  }

  async function build() {
    const config = getConfig(strapi).rateLimit;
    const createLimit = await limitFactory(config);
    const limit = (name: LimitName, rule: RateLimitRule) =>
      createLimit({ keyPrefix: `${config.keyPrefix}:${name}`, points: rule.points, duration: rule.durationSeconds });
    // The test-send limit holds even with `rateLimit.enabled` off: that option is about the public routes' load,
    // while each test is a real email from the site's sender that a stolen administrator session could repeat.
    const entries: Array<[LimitName, Limit]> = [['testSendPerAdmin', await limit('testSendPerAdmin', TEST_SEND_LIMIT)]];
    if (config.enabled) for (const name of PUBLIC_LIMIT_NAMES) entries.push([name, await limit(name, config[name])]);
    return Object.fromEntries(entries) as Partial<Record<LimitName, Limit>>;
  }

  // The memory store sets a timer per key that lives as long as the window (an hour). A timer keeps the async
  // context it was created in, and Strapi's request context is the whole request: counting inside the request
  // would pin every request's objects for an hour (a flood of 20,000 requests grew the process by 480 MB). So
  // limiters are called in a scope of their own, created here, outside any request.
  const outsideRequests = new AsyncResource('password-reset.rate-limit');

  /** Count one request on a limiter; a refusal becomes TooManyRequestsError, any other failure is thrown as is. */
  async function count(limiter: RateLimiterAbstract, key: string) {
    try {
      await outsideRequests.runInAsyncScope(() => limiter.consume(key));
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) {
        throw new TooManyRequestsError(Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)));
      }
      throw rejection;
    }
  }

  /** While Redis cannot be reached: count in memory, or refuse, as `rateLimit.whenStoreDown` says. */
  async function countWhileDown(limiter: RateLimiterMemory, key: string) {
    if (getConfig(strapi).rateLimit.whenStoreDown === 'refuse') throw new StoreUnavailableError(UNAVAILABLE_RETRY_AFTER_SECONDS);
    await count(limiter, key);
  }

  return {
    /**
     * Count one request against each named limit; throws TooManyRequestsError when any is exhausted, and
     * StoreUnavailableError while Redis cannot be reached in `refuse` mode.
     */
    async consume(checks: Array<[LimitName, string]>) {
      // A database store that could not be set up is tried again on the next request.
      limits ??= build().catch((error: unknown) => {
        limits = null;
        throw error;
      });
      const ready = await limits;
      for (const [name, key] of checks) {
        const limit = ready[name];
        if (!limit) continue;
        if (!limit.redis) {
          await count(limit.store, key);
          continue;
        }
        const { client, whileDown } = limit.redis;
        if (!redisUsable(client)) {
          await countWhileDown(whileDown, key);
          continue;
        }
        try {
          await count(limit.store, key);
        } catch (error) {
          if (error instanceof TooManyRequestsError) throw error;
          redisFailed(client, error);
          await countWhileDown(whileDown, key);
          continue;
        }
        outageEnds();
      }
    },

    async close() {
      limits = null;
      const client = redisClient;
      redisClient = null;
      // QUIT has the command deadline; past it, or without a connection, the client is dropped.
      if (client) await client.quit().catch(() => client.disconnect());
    },
  };
};

export type RateLimitService = ReturnType<typeof rateLimitService>;
export default rateLimitService;
