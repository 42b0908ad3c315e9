import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Kysely, Migrator, sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { insertChatbot } from '../../src/db/chatbots.repository.ts';
import { connectDatabase, type DatabaseHandle, MIGRATIONS, migrateToLatest } from '../../src/db/connect.ts';
import type { ChatbotRow, Database } from '../../src/db/database.ts';
import { insertWorkspace } from '../../src/db/workspaces.repository.ts';
import type { Clock } from '../../src/lib/clock.ts';
import type { IdGenerator } from '../../src/lib/ids.ts';

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
 * Whether PostgreSQL and Redis are both at hand for the scaled-out suites: `skipped` when either URL is
 * missing, and `skipReason`, the text a suite's title ends with then (empty otherwise).
 */
export function scaledOutAvailability(): { skipped: boolean; skipReason: string } {
  const missing = [
    process.env.TEST_DATABASE_URL ? undefined : 'TEST_DATABASE_URL',
    process.env.TEST_REDIS_URL ? undefined : 'TEST_REDIS_URL',
  ].filter(Boolean);
  return {
    skipped: missing.length > 0,
    skipReason: missing.length ? ` (skipped: ${missing.join(' and ')} not set)` : '',
  };
}

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

/**
 * A fresh database of the dialect, connected and migrated: to the latest migration, or only as far as
 * `migrateTo` (a migration test then writes rows as they were and applies the rest).
 */
export async function createTestDatabase(
  dialect: DialectCase['dialect'],
  options: { migrateTo?: string } = {},
): Promise<TestDatabase> {
  const { url, drop } = await createTestDatabaseUrl(dialect);
  const handle = connectDatabase(url);
  if (options.migrateTo) {
    const { error } = await (await createTestMigrator(handle)).migrateTo(options.migrateTo);
    if (error) throw error;
  } else {
    await migrateToLatest(handle);
  }
  return {
    url,
    handle,
    drop: async () => {
      await handle.close();
      await drop();
    },
  };
}

/**
 * A fresh, migrated database of the dialect for the tests of the describe block that calls this: created before
 * them, dropped after them. Answers a getter, since the database exists only once the tests run.
 */
export function useTestDatabase(dialect: DialectCase['dialect']): () => TestDatabase {
  let database: TestDatabase | undefined;
  beforeAll(async () => {
    database = await createTestDatabase(dialect);
  });
  afterAll(async () => {
    await database?.drop();
  });
  return () => {
    if (!database) throw new Error('the test database is created before the tests run');
    return database;
  };
}

/** A workspace with one chatbot, inserted straight through the repositories, for tests below the HTTP layer. */
export async function insertTestChatbot(
  db: Kysely<Database>,
  deps: { ids: IdGenerator; clock: Clock },
  names: { workspace?: string; chatbot?: string } = {},
): Promise<ChatbotRow> {
  const now = deps.clock.now().toISOString();
  const workspace = {
    id: deps.ids(),
    name: names.workspace ?? 'Shop',
    credits: 0,
    created_at: now,
    updated_at: now,
  };
  await insertWorkspace(db, workspace);
  const chatbot: ChatbotRow = {
    id: deps.ids(),
    workspace_id: workspace.id,
    name: names.chatbot ?? 'Bot',
    instructions: '',
    model: 'local/echo',
    temperature: 0.7,
    max_tokens: 500,
    streaming: 1,
    status: 'active',
    rate_limit_requests: 60,
    rate_limit_window_seconds: 60,
    fallback_message: null,
    created_at: now,
    updated_at: now,
  };
  await insertChatbot(db, chatbot);
  return chatbot;
}

/** A migrator over the same bookkeeping table migrateToLatest uses, so the two can take turns (migration tests). */
export async function createTestMigrator({ db, dialect }: DatabaseHandle): Promise<Migrator> {
  const migrationTableSchema =
    dialect === 'postgres'
      ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema
      : undefined;
  return new Migrator({
    db,
    migrationTableSchema,
    // Every later migration too: migrateToLatest applies them, and rolling back must know them.
    provider: { getMigrations: async () => ({ ...MIGRATIONS }) },
  });
}
