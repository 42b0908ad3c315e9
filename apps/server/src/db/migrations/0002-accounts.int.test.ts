import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestDatabase,
  createTestMigrator,
  dialects,
  type TestDatabase,
} from '../../../test/helpers/databases.ts';
import { type DatabaseHandle, migrateToLatest } from '../connect.ts';

describe.each(dialects)('migration 0002-accounts on $dialect', ({ dialect, skipReason }) => {
  if (skipReason) {
    it.skip(`skipped: ${skipReason}`, () => {});
    return;
  }

  let database: TestDatabase;
  let handle: DatabaseHandle;
  // biome-ignore lint/suspicious/noExplicitAny: the rows are written as they were before this migration
  let db: Kysely<any>;

  beforeAll(async () => {
    database = await createTestDatabase(dialect, { migrateTo: '0001-initial' });
    handle = database.handle;
    db = handle.db;
  });

  afterAll(() => database.drop());

  it('copies metadata.userId of earlier messages into user_id: non-empty strings of up to 200 characters only', async () => {
    const created_at = '2025-01-01T00:00:00.000Z';
    await db
      .insertInto('workspaces')
      .values({ id: 'w', name: 'W', credits: 0, created_at, updated_at: created_at })
      .execute();
    await db
      .insertInto('chatbots')
      .values({
        id: 'b',
        workspace_id: 'w',
        name: 'B',
        instructions: '',
        model: 'local/pollybot',
        temperature: 0.7,
        max_tokens: 10,
        streaming: 0,
        rate_limit_requests: 1,
        rate_limit_window_seconds: 1,
        status: 'active',
        created_at,
        updated_at: created_at,
      })
      .execute();
    await db
      .insertInto('conversations')
      .values({ id: 'c', workspace_id: 'w', chatbot_id: 'b', created_at, updated_at: created_at })
      .execute();
    const metadata: Record<string, unknown> = {
      'm-string': { userId: 'customer-1', source: 'web' },
      'm-number': { userId: 42 },
      'm-empty': { userId: '' },
      'm-long': { userId: 'x'.repeat(201) },
      'm-in-a-value': { note: '"userId"' },
      'm-nested': { user: { userId: 'nested' } },
      'm-none': null,
    };
    // More than one batch of the backfill (500 rows), so every batch is reached.
    for (let index = 0; index < 520; index++)
      metadata[`m-${String(index).padStart(4, '0')}`] = { userId: `u${index}` };
    const rows = Object.entries(metadata).map(([id, value]) => ({
      id,
      conversation_id: 'c',
      workspace_id: 'w',
      role: 'user',
      content: 'Hello',
      metadata: value === null ? null : JSON.stringify(value),
      status: 'complete',
      created_at,
    }));
    for (let start = 0; start < rows.length; start += 100)
      await db
        .insertInto('messages')
        .values(rows.slice(start, start + 100))
        .execute();

    await migrateToLatest(handle);

    const stored = await db.selectFrom('messages').select(['id', 'user_id']).execute();
    const userIds = Object.fromEntries(
      stored.map((row: { id: string; user_id: string | null }) => [row.id, row.user_id]),
    );
    expect(userIds['m-string']).toBe('customer-1');
    for (const id of ['m-number', 'm-empty', 'm-long', 'm-in-a-value', 'm-nested', 'm-none'])
      expect(userIds[id], id).toBeNull();
    expect(userIds['m-0000']).toBe('u0');
    expect(userIds['m-0519']).toBe('u519');
    expect(stored.filter((row: { user_id: string | null }) => row.user_id !== null)).toHaveLength(521);
  });

  it('can be rolled back and applied again', async () => {
    const migrator = await createTestMigrator(handle);

    const down = await migrator.migrateTo('0001-initial');
    expect(down.error).toBeUndefined();
    // Only this test's own schema: PostgreSQL's introspection lists every schema of the database.
    const ownTables = async () => {
      const schema =
        handle.dialect === 'postgres'
          ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema
          : undefined;
      return (await db.introspection.getTables()).filter((table) => table.schema === schema);
    };
    const tables = (await ownTables()).map((table) => table.name);
    expect(tables).not.toContain('users');
    expect(tables).not.toContain('sessions');
    const messages = (await ownTables()).find((table) => table.name === 'messages');
    expect(messages?.columns.map((column) => column.name)).not.toContain('user_id');

    await migrateToLatest(handle);
    const after = (await ownTables()).map((table) => table.name);
    expect(after).toEqual(expect.arrayContaining(['users', 'memberships', 'sessions', 'invitations']));
  });
});
