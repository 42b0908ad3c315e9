import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestDatabase,
  createTestMigrator,
  dialects,
  type TestDatabase,
} from '../../../test/helpers/databases.ts';
import { type DatabaseHandle, migrateToLatest } from '../connect.ts';
import { searchKnowledgeChunks } from '../knowledge.repository.ts';

describe.each(dialects)('migration 0004-knowledge-imports on $dialect', ({ dialect, skipReason }) => {
  if (skipReason) {
    it.skip(`skipped: ${skipReason}`, () => {});
    return;
  }

  let database: TestDatabase;
  let handle: DatabaseHandle;
  // biome-ignore lint/suspicious/noExplicitAny: the rows are written as they were before this migration
  let db: Kysely<any>;

  beforeAll(async () => {
    database = await createTestDatabase(dialect, { migrateTo: '0003-knowledge' });
    handle = database.handle;
    db = handle.db;
  });

  afterAll(() => database.drop());

  it('keeps chunks ingested before it searchable, each chatbot’s alone, and gives sources their new fields', async () => {
    const created_at = '2025-06-01T00:00:00.000Z';
    await db
      .insertInto('workspaces')
      .values({ id: 'w', name: 'W', credits: 0, created_at, updated_at: created_at })
      .execute();
    for (const id of ['mine', 'theirs']) {
      await db
        .insertInto('chatbots')
        .values({
          id,
          workspace_id: 'w',
          name: id,
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
        .insertInto('knowledge_sources')
        .values({
          id: `source-${id}`,
          workspace_id: 'w',
          chatbot_id: id,
          kind: 'text',
          title: 'Handbook',
          content: 'Gift wrapping is free.',
          status: 'ready',
          error: null,
          chunk_count: 1,
          created_at,
          updated_at: created_at,
        })
        .execute();
      await db
        .insertInto('knowledge_chunks')
        .values({
          id: `chunk-${id}`,
          source_id: `source-${id}`,
          chatbot_id: id,
          workspace_id: 'w',
          position: 0,
          heading: 'Gifts',
          content: 'Gift wrapping is free at the counter.',
          created_at,
        })
        .execute();
    }

    await migrateToLatest(handle);

    const found = await searchKnowledgeChunks(handle.db, handle.dialect, 'mine', ['wrapping'], 5);
    expect(found.map((match) => match.chunkId)).toEqual(['chunk-mine']);
    expect(found[0]).toMatchObject({ url: null, pageTitle: null });
    const source = await handle.db
      .selectFrom('knowledge_sources')
      .selectAll()
      .where('id', '=', 'source-mine')
      .executeTakeFirstOrThrow();
    expect(source).toMatchObject({ attempts: 0, lease_token: null, url: null, file_name: null });
    const chatbot = await handle.db
      .selectFrom('chatbots')
      .selectAll()
      .where('id', '=', 'mine')
      .executeTakeFirstOrThrow();
    expect(chatbot.fallback_message).toBeNull();
  });

  it('can be rolled back and applied again, the full-text index working after each', async () => {
    const migrator = await createTestMigrator(handle);

    expect((await migrator.migrateTo('0003-knowledge')).error).toBeUndefined();
    const before = await searchTheOldWay();
    expect(before).toEqual(['chunk-mine', 'chunk-theirs']);

    await migrateToLatest(handle);
    const after = await searchKnowledgeChunks(handle.db, handle.dialect, 'theirs', ['gift'], 5);
    expect(after.map((match) => match.chunkId)).toEqual(['chunk-theirs']);
  });

  /** What a search found before this migration: every chatbot's matching chunks. */
  async function searchTheOldWay(): Promise<string[]> {
    if (dialect === 'postgres') {
      const rows = await db.selectFrom('knowledge_chunks').select('id').orderBy('id').execute();
      return rows.map((row: { id: string }) => row.id);
    }
    const rows = await db
      .selectFrom('knowledge_chunks_fts as f')
      .innerJoin('knowledge_chunks as c', 'c.rowid', 'f.rowid')
      .select('c.id')
      .where('f.content', 'match', 'wrapping')
      .orderBy('c.id')
      .execute();
    return rows.map((row: { id: string }) => row.id);
  }
});
