// Boots the playground Strapi in this process on a fresh database, with mail going to a real SMTP capture.
import { copyFileSync, existsSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import request from 'supertest';
import type { Core } from '@strapi/strapi';
import { createStrapi } from '@strapi/strapi';
import type { PluginConfig } from '../../server/src/config';
import { randomBytes } from 'node:crypto';
import { createFreshDatabase, createPostgresDatabase, dbKind, dropPostgresDatabase, postgresDatabases, type FreshDatabase } from './database';
import { freePort } from './ports';
import { startSmtpCapture, type SmtpBehaviour } from './smtp';
import { createAccountFactory } from './accounts';
import { createAdminHelpers } from './admins';

export const PLAYGROUND_DIR = resolve(__dirname, '..', '..', 'playground');

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? (T[K] extends unknown[] ? T[K] : DeepPartial<T[K]>) : T[K] };

export interface BootOptions {
  /** Plugin options on top of the playground's (rate limits are off unless given). */
  config?: DeepPartial<PluginConfig>;
  smtp?: SmtpBehaviour;
  env?: Record<string, string>;
  /** Serve the built admin panel (playground/build) for browser tests. */
  adminPanel?: boolean;
  /** A database to boot on (the upgrade test's, written by the previous release); a fresh one by default. Dropped on close. */
  database?: FreshDatabase;
}

export async function startPlayground(options: BootOptions = {}) {
  const smtp = await startSmtpCapture(options.smtp);
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const database = options.database ?? (await freshDatabase());
  const config = { rateLimit: { enabled: false }, ...options.config };
  Object.assign(process.env, {
    ...database.env,
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(smtp.port),
    PASSWORD_RESET_CONFIG: JSON.stringify(config),
    HOST: '127.0.0.1',
    PORT: String(port),
    PUBLIC_URL: baseUrl,
    ADMIN_RATE_LIMIT: 'false',
    UP_RATE_LIMIT: 'false',
    STRAPI_TELEMETRY_DISABLED: 'true',
    STRAPI_LOG_LEVEL: process.env.STRAPI_LOG_LEVEL ?? 'error',
    ...options.env,
  });

  // createStrapi sets the global `strapi`; a failed boot must not leave another file-level instance without it.
  const previous = (globalThis as { strapi?: Core.Strapi }).strapi;
  const strapi: Core.Strapi = createStrapi({
    appDir: PLAYGROUND_DIR,
    distDir: PLAYGROUND_DIR,
    autoReload: false,
    serveAdminPanel: Boolean(options.adminPanel),
  });
  try {
    await strapi.load();
  } catch (error) {
    // A boot that failed (a test of a wrong option, say) still holds resources; free them so Jest can exit.
    await Promise.allSettled([smtp.close(), database.drop(), strapi.destroy()]);
    (globalThis as { strapi?: Core.Strapi }).strapi = previous;
    throw error;
  }
  strapi.log.level = process.env.STRAPI_LOG_LEVEL ?? 'error';
  // One listening socket on loopback for the whole file: supertest would otherwise listen anew per request.
  await new Promise<void>((resolve) => strapi.server.listen(port, '127.0.0.1', () => resolve()));
  const http = () => request(baseUrl);

  return {
    strapi,
    baseUrl,
    smtp,
    http,
    accounts: createAccountFactory(strapi),
    admins: createAdminHelpers(strapi, http),
    /**
     * Wait until the audit log has at least `count` rows matching `where`, and return how many it has. A refusal's
     * row is written once the refused write's transaction has ended, a moment after the response.
     */
    async waitForAudit(where: Record<string, unknown>, count = 1, timeoutMs = 5000) {
      const events = strapi.db.query('plugin::password-reset.audit-event');
      const deadline = Date.now() + timeoutMs;
      let found = await events.count({ where });
      while (found < count && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        found = await events.count({ where });
      }
      return found;
    },
    /** Let background work (emails after a response) finish. */
    settle: () => strapi.plugin('password-reset').service('outbox').drain() as Promise<void>,
    async close() {
      try {
        await strapi.destroy();
      } finally {
        await Promise.allSettled([smtp.close(), database.drop()]);
      }
    },
  };
}

export type Playground = Awaited<ReturnType<typeof startPlayground>>;

/**
 * A fresh database for one test file: on SQLite and PostgreSQL, a copy of a template this jest process booted once.
 * Strapi's first boot on an empty database (its schema, roles and permissions) costs about three times a later one,
 * and every file would pay it. The template holds what any first boot writes and nothing a test does; a copy boots
 * as a site's second start does. MariaDB has no cheap copy, so each file there starts empty. Files that bring their
 * own database (the upgrade and restart stories) never use a template.
 */
async function freshDatabase(): Promise<FreshDatabase> {
  const kind = dbKind();
  // Jest gives each test file its own module registry and process.env, so a template is found by its name.
  if (kind === 'sqlite') {
    const template = join(tmpdir(), `${TEMPLATE_PREFIX}${process.pid}.db`);
    if (!existsSync(template)) {
      await removeStaleTemplates();
      const first = await bootOnce(await createFreshDatabase('sqlite'));
      copyFileSync(first.env.DATABASE_FILENAME, `${template}.partial`);
      renameSync(`${template}.partial`, template);
      await first.drop();
    }
    const database = await createFreshDatabase('sqlite');
    copyFileSync(template, database.env.DATABASE_FILENAME);
    return database;
  }
  if (kind === 'postgres') {
    const template = `${TEMPLATE_PREFIX.replace(/-/g, '_')}${process.pid}`;
    if (!(await postgresDatabases(template)).includes(template)) {
      await removeStaleTemplates();
      await bootOnce(await createPostgresDatabase(template));
    }
    return createPostgresDatabase(`pr_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`, template);
  }
  return createFreshDatabase(kind);
}

const TEMPLATE_PREFIX = 'password-reset-template-';

/** Boots the playground once on `database` and stops it, leaving the database as a first boot wrote it. */
async function bootOnce(database: FreshDatabase) {
  const booted = await startPlayground({ database: { ...database, drop: async () => undefined } });
  await booted.close();
  return database;
}

/** The templates of jest processes that have ended: SQLite files in the temporary directory, PostgreSQL databases. */
async function removeStaleTemplates() {
  const ended = (pid: string) => {
    try {
      process.kill(Number(pid), 0);
      return false;
    } catch {
      return true;
    }
  };
  for (const name of readdirSync(tmpdir())) {
    const pid = new RegExp(`^${TEMPLATE_PREFIX}(\\d+)\\.db`).exec(name)?.[1];
    if (pid && ended(pid)) rmSync(join(tmpdir(), name), { force: true });
  }
  if (dbKind() !== 'postgres') return;
  const prefix = TEMPLATE_PREFIX.replace(/-/g, '_');
  for (const name of await postgresDatabases(prefix)) {
    if (ended(name.slice(prefix.length))) await dropPostgresDatabase(name);
  }
}

/** Boot a playground before the tests of a file and stop it after. */
export function usePlayground(options: BootOptions = {}) {
  const ref = {} as { current: Playground };
  beforeAll(async () => {
    ref.current = await startPlayground(options);
  }, 120000);
  afterAll(async () => {
    await ref.current?.close();
  }, 60000);
  return () => ref.current;
}
