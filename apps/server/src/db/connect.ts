import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import {
  Kysely,
  type Migration,
  type MigrationProvider,
  Migrator,
  PostgresDialect,
  SqliteDialect,
  sql,
} from 'kysely';
import pg from 'pg';
import type { Database } from './database.ts';
import * as initial from './migrations/0001-initial.ts';
import * as accounts from './migrations/0002-accounts.ts';
import * as knowledge from './migrations/0003-knowledge.ts';
import * as knowledgeImports from './migrations/0004-knowledge-imports.ts';
import * as resumableReplies from './migrations/0005-resumable-replies.ts';
import * as generatingRepliesIndex from './migrations/0006-generating-replies-index.ts';
import * as accountSafety from './migrations/0007-account-safety.ts';
import * as knowledgeLimits from './migrations/0008-knowledge-limits.ts';
import * as replyLeases from './migrations/0009-reply-leases.ts';
import * as widget from './migrations/0010-widget.ts';
import { type AtomicWrite, createTransactionWrite, createWriteBatch } from './write-batch.ts';

export type DatabaseDialect = 'sqlite' | 'postgres';

export type DatabaseHandle = {
  db: Kysely<Database>;
  dialect: DatabaseDialect;
  /** An atomic write on the hot path (a chat turn's start and end): batched into group commits on SQLite. */
  write: AtomicWrite;
  /** Answers true when the database answers a trivial query. */
  ping: () => Promise<boolean>;
  close: () => Promise<void>;
};

// Listed statically so migrations load the same way under every runner and bundler.
export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0001-initial': initial,
  '0002-accounts': accounts,
  '0003-knowledge': knowledge,
  '0004-knowledge-imports': knowledgeImports,
  '0005-resumable-replies': resumableReplies,
  '0006-generating-replies-index': generatingRepliesIndex,
  '0007-account-safety': accountSafety,
  '0008-knowledge-limits': knowledgeLimits,
  '0009-reply-leases': replyLeases,
  '0010-widget': widget,
};

const migrationProvider: MigrationProvider = { getMigrations: async () => MIGRATIONS };

/** How many prepared statements an SQLite connection keeps (the set is cleared when it would grow past). */
const STATEMENT_CACHE_SIZE = 1_000;

/**
 * better-sqlite3 as Kysely's SQLite dialect uses it, each SQL text prepared once: Kysely asks for a
 * statement for every query it runs, and preparing costs more than running most of them. Statements are
 * only ever run whole (`all`, `run`), never left iterating, so one statement can serve every call.
 */
function withStatementCache(database: SqliteDatabase.Database) {
  const statements = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => {
      statements.clear();
      database.close();
    },
    prepare: (text: string) => {
      let statement = statements.get(text);
      if (!statement) {
        if (statements.size >= STATEMENT_CACHE_SIZE) statements.clear();
        statement = database.prepare(text);
        statements.set(text, statement);
      }
      return statement;
    },
  };
}

/** Opens `sqlite:<path>` (or `sqlite::memory:`) or `postgres://...`. */
export function connectDatabase(
  url: string,
  options: {
    onIdleConnectionError?: (error: Error) => void;
    /** PostgreSQL: cancel a statement running longer than this (0 or unset: never). */
    statementTimeoutMs?: number;
  } = {},
): DatabaseHandle {
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length);
    const filename = path === ':memory:' ? ':memory:' : resolve(path);
    if (filename !== ':memory:') mkdirSync(dirname(filename), { recursive: true });
    const sqlite = new SqliteDatabase(filename);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
    return {
      db,
      dialect: 'sqlite',
      write: createWriteBatch(db),
      ping: async () => sqlite.prepare('select 1').get() !== undefined,
      close: () => db.destroy(),
    };
  }
  // A database that accepts no connection fails a request after 10 s rather than holding it open.
  // A statement stuck behind a lock or on a pathological plan is cancelled by the server (57014, answered
  // 503) instead of holding its connection and its request for good: set for each connection at its start.
  const pool = new pg.Pool({
    connectionString: url,
    max: 20,
    connectionTimeoutMillis: 10_000,
    ...(options.statementTimeoutMs ? { statement_timeout: options.statementTimeoutMs } : {}),
  });
  // An idle connection that PostgreSQL drops (a restart, a failover, pg_terminate_backend) is reported as
  // the pool's 'error' event, which would crash the process unheard. The pool has already discarded that
  // connection and the next query opens a new one.
  pool.on('error', (error) => options.onIdleConnectionError?.(error));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    dialect: 'postgres',
    write: createTransactionWrite(db),
    ping: async () => {
      const result = await pool.query('select 1 as ok');
      return result.rowCount === 1;
    },
    close: () => db.destroy(),
  };
}

/** Runs every pending migration; throws with the failing migration's error. */
export async function migrateToLatest({ db, dialect }: DatabaseHandle): Promise<void> {
  if (dialect === 'sqlite') return runMigrations(db, undefined);
  // On one connection without the statement timeout: a migration may rewrite a large table, and an instance
  // starting beside another waits for the other's migrations to finish (Kysely's lock) however long they take.
  await db.connection().execute(async (connection) => {
    await sql`set statement_timeout = 0`.execute(connection);
    try {
      // Kysely looks for its bookkeeping tables in every schema unless told which one: name the schema the
      // connection works in (its search_path), or a database with several PollyBot schemas would skip some.
      const schema = (await sql<{ schema: string }>`select current_schema() as schema`.execute(connection))
        .rows[0]?.schema;
      await runMigrations(connection, schema);
    } finally {
      // Back to the connection's own setting (the statement timeout it was opened with) for the pool.
      await sql`reset statement_timeout`.execute(connection);
    }
  });
}

async function runMigrations(db: Kysely<Database>, migrationTableSchema: string | undefined): Promise<void> {
  const migrator = new Migrator({ db, provider: migrationProvider, migrationTableSchema });
  const { error } = await migrator.migrateToLatest();
  if (error) throw error;
}

// Network failures on the way to the database, and PostgreSQL's "connection exception" class (08) and
// shutdown states (57P01-57P03): the database is away, not the request at fault.
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EPIPE',
]);
const UNAVAILABLE_STATES = /^(08...|57P0[123])$/;
const UNREACHABLE_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/i;

/** Whether PostgreSQL cancelled the statement (57014 query_canceled): its statement timeout, or an operator's cancel. */
export function isStatementCancelled(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === '57014';
}

/** Whether an error says the database cannot be reached right now (as opposed to a fault in a query). */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = 'code' in error && typeof error.code === 'string' ? error.code : '';
  if (UNREACHABLE_CODES.has(code) || UNAVAILABLE_STATES.test(code)) return true;
  if (error instanceof AggregateError && error.errors.some(isDatabaseUnavailable)) return true;
  return UNREACHABLE_MESSAGES.test(error.message);
}
