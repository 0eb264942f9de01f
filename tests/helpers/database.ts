// A fresh database for one test file: a temp SQLite file, a new PostgreSQL schema, or a new MariaDB database,
// chosen by DB (sqlite by default). Sets the DATABASE_* variables playground/config/database.js reads.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

export type DbKind = 'sqlite' | 'postgres' | 'mysql';

export const dbKind = (): DbKind => (process.env.DB as DbKind | undefined) ?? 'sqlite';

export interface FreshDatabase {
  env: Record<string, string>;
  drop: () => Promise<void>;
}

export async function createFreshDatabase(kind: DbKind = dbKind()): Promise<FreshDatabase> {
  const name = `pr_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  if (kind === 'postgres') {
    const { Client } = await import('pg');
    const admin = new Client({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test' });
    await admin.connect();
    await admin.query(`CREATE SCHEMA "${name}"`);
    await admin.end();
    return {
      env: { DB: 'postgres', DATABASE_SCHEMA: name, DATABASE_NAME: 'test' },
      drop: async () => {
        const client = new Client({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test' });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
        await client.end();
      },
    };
  }
  if (kind === 'mysql') {
    const mysql = await import('mysql2/promise');
    const admin = await mysql.createConnection({ host: '127.0.0.1', port: 3306, user: 'root', password: '' });
    await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    await admin.end();
    return {
      env: { DB: 'mysql', DATABASE_NAME: name },
      drop: async () => {
        const client = await mysql.createConnection({ host: '127.0.0.1', port: 3306, user: 'root', password: '' });
        await client.query(`DROP DATABASE IF EXISTS \`${name}\``);
        await client.end();
      },
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'password-reset-'));
  return {
    env: { DB: 'sqlite', DATABASE_FILENAME: join(dir, 'data.db') },
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

const postgresAdmin = async () => {
  const { Client } = await import('pg');
  const client = new Client({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test' });
  await client.connect();
  return client;
};

/**
 * PostgreSQL: a database of its own (not a schema of `test`), named `name`, empty or copied from the database
 * `template` (CREATE DATABASE … TEMPLATE copies its files: far faster than Strapi's first boot writing them).
 */
export async function createPostgresDatabase(name: string, template?: string): Promise<FreshDatabase> {
  const admin = await postgresAdmin();
  try {
    await admin.query(`CREATE DATABASE "${name}"${template ? ` TEMPLATE "${template}"` : ''}`);
  } finally {
    await admin.end();
  }
  return {
    env: { DB: 'postgres', DATABASE_NAME: name, DATABASE_SCHEMA: 'public' },
    drop: () => dropPostgresDatabase(name),
  };
}

export async function dropPostgresDatabase(name: string) {
  const admin = await postgresAdmin();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

/** The PostgreSQL databases whose names start with `prefix`. */
export async function postgresDatabases(prefix: string): Promise<string[]> {
  const admin = await postgresAdmin();
  try {
    const { rows } = await admin.query('SELECT datname FROM pg_database WHERE starts_with(datname, $1)', [prefix]);
    return rows.map((row: { datname: string }) => row.datname);
  } finally {
    await admin.end();
  }
}
