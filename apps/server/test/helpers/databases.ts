import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { connectDatabase, type DatabaseHandle, migrateToLatest } from '../../src/db/connect.ts';

export type TestDatabase = { url: string; handle: DatabaseHandle; drop: () => Promise<void> };

export type DialectCase = { dialect: 'sqlite' | 'postgres'; skipReason: string | undefined };

/** The dialect matrix: SQLite always; PostgreSQL when TEST_DATABASE_URL is set, else skipped with the reason. */
export const dialects: DialectCase[] = [
  { dialect: 'sqlite', skipReason: undefined },
  {
    dialect: 'postgres',
    skipReason: process.env.TEST_DATABASE_URL ? undefined : 'TEST_DATABASE_URL is not set',
  },
];

/**
 * A fresh, migrated database of the dialect: a temporary SQLite file, or a new PostgreSQL schema
 * (selected through search_path) so tests never see each other's rows.
 */
export async function createTestDatabaseUrl(
  dialect: DialectCase['dialect'],
): Promise<{ url: string; drop: () => Promise<void> }> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'pollybot-db-'));
    return {
      url: `sqlite:${join(dir, 'test.db')}`,
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const base = process.env.TEST_DATABASE_URL;
  if (!base) throw new Error('TEST_DATABASE_URL is not set');
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const url = new URL(base);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: base });
      await client.connect();
      await client.query(`drop schema if exists ${schema} cascade`);
      await client.end();
    },
  };
}

export async function createTestDatabase(dialect: DialectCase['dialect']): Promise<TestDatabase> {
  const { url, drop } = await createTestDatabaseUrl(dialect);
  const handle = connectDatabase(url);
  await migrateToLatest(handle);
  return {
    url,
    handle,
    drop: async () => {
      await handle.close();
      await drop();
    },
  };
}
