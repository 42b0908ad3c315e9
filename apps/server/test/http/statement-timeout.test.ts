import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase, migrateToLatest } from '../../src/db/connect.ts';
import { toAppError } from '../../src/http/plugins/error-handler.ts';
import { createTestDatabaseUrl } from '../helpers/databases.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';

// DATABASE_STATEMENT_TIMEOUT_MS: PostgreSQL cancels a statement that runs too long, and the request answers
// 503 SERVICE_UNAVAILABLE instead of hanging or a 500. PostgreSQL only (SQLite has no statements to cancel).

const skipReason = process.env.TEST_DATABASE_URL ? '' : ' (skipped: TEST_DATABASE_URL is not set)';

describe.skipIf(skipReason !== '')(`the PostgreSQL statement timeout${skipReason}`, () => {
  let database: { url: string; drop: () => Promise<void> };
  let server: TestServer;
  let apiKey: string;

  beforeAll(async () => {
    database = await createTestDatabaseUrl('postgres');
    server = await startTestServer({ DATABASE_URL: database.url, DATABASE_STATEMENT_TIMEOUT_MS: '300' });
    ({ apiKey } = await server.createWorkspace());
    await server.createChatbot(apiKey);
  });

  afterAll(async () => {
    await server?.close();
    await database?.drop();
  });

  it('is set on the pool’s connections, and a cancelled statement maps to 503 SERVICE_UNAVAILABLE', async () => {
    const handle = connectDatabase(database.url, { statementTimeoutMs: 50 });
    try {
      const { rows } = await sql<{ statement_timeout: string }>`show statement_timeout`.execute(handle.db);
      expect(rows[0]?.statement_timeout).toBe('50ms');
      const error = await sql`select pg_sleep(5)`.execute(handle.db).then(
        () => undefined,
        (failure: unknown) => failure as Error,
      );

      expect(error).toMatchObject({ code: '57014' });
      const mapped = toAppError(error as Error);
      expect(mapped.status).toBe(503);
      expect(mapped.code).toBe('SERVICE_UNAVAILABLE');
    } finally {
      await handle.close();
    }
  });

  it('answers 503 SERVICE_UNAVAILABLE to a request whose query waits past it, and serves the next one', async () => {
    // Another session holds the chatbots table: the list's query waits on the lock until it is cancelled.
    const blocker = new pg.Client({ connectionString: database.url });
    await blocker.connect();
    try {
      await blocker.query('begin');
      await blocker.query('lock table chatbots in access exclusive mode');

      const response = await server.api(apiKey).get('/api/v1/chatbots');

      expect(response.status, response.text).toBe(503);
      expect(response.body).toEqual({
        success: false,
        code: 'SERVICE_UNAVAILABLE',
        error: 'The database took too long to answer; retry shortly',
      });
    } finally {
      await blocker.query('rollback');
      await blocker.end();
    }
    const after = await server.api(apiKey).get('/api/v1/chatbots');
    expect(after.status, after.text).toBe(200);
    expect(after.body.data).toHaveLength(1);
  });

  it('does not hold back migrations, which run on a connection without it', async () => {
    const fresh = await createTestDatabaseUrl('postgres');
    const handle = connectDatabase(fresh.url, { statementTimeoutMs: 1 });
    try {
      await migrateToLatest(handle);
      await sql`select pg_sleep(0.2)`.execute(handle.db).then(
        () => expect.unreachable('the timeout applies again after the migrations'),
        (error: unknown) => expect(error).toMatchObject({ code: '57014' }),
      );
    } finally {
      await handle.close();
      await fresh.drop();
    }
  });
});
