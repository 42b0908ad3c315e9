import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestDatabase,
  dialects,
  insertTestChatbot,
  type TestDatabase,
} from '../../../test/helpers/databases.ts';
import { insertKnowledgeSource } from '../../db/knowledge.repository.ts';
import { createIdGenerator } from '../../lib/ids.ts';
import { createIngestionQueue, type IngestionQueue, resumeKnowledgeIngestion } from './ingestion-queue.ts';
import { createKnowledgeSource, getKnowledgeSource } from './knowledge-sources.ts';
import { searchKnowledge } from './search-knowledge.ts';

describe.each(dialects)('knowledge search on $dialect', ({ dialect, skipReason }) => {
  if (skipReason) {
    it.skip(`skipped: ${skipReason}`, () => {});
    return;
  }

  let database: TestDatabase;
  let ingestion: IngestionQueue;
  const clock = { now: () => new Date('2026-01-01T00:00:00.000Z') };
  const ids = createIdGenerator();
  const deps = () => ({ db: database.handle.db, clock, ids, ingestion });

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    ingestion = createIngestionQueue({
      db: database.handle.db,
      clock,
      ids,
      onError: (sourceId, error) => {
        throw new Error(`ingestion of ${sourceId} failed: ${String(error)}`);
      },
    });
  });
  afterAll(async () => {
    await ingestion.drain();
    await database.drop();
  });

  function createChatbot(workspaceName = 'Shop') {
    return insertTestChatbot(database.handle.db, { ids, clock }, { workspace: workspaceName });
  }

  async function addText(chatbot: Awaited<ReturnType<typeof createChatbot>>, title: string, content: string) {
    const source = await createKnowledgeSource(deps(), chatbot, { kind: 'text', title, content });
    await ingestion.drain();
    expect((await getKnowledgeSource(database.handle.db, chatbot.id, source.id)).status).toBe('ready');
    return source;
  }

  it('ranks the chunk that matches the most query words first', async () => {
    const chatbot = await createChatbot();
    await addText(
      chatbot,
      'Handbook',
      '# Delivery\nWe deliver parcels in the city.\n\n# Returns\nReturn a parcel within 30 days for a refund of the parcel price.\n\n# Hours\nOpen daily.',
    );

    const results = await searchKnowledge(database.handle.db, dialect, chatbot.id, 'parcel refund', 5);

    expect(results.map((result) => result.heading)).toEqual(['Returns', 'Delivery']);
    expect(results[0]).toMatchObject({ title: 'Handbook', kind: 'text' });
  });

  it('never returns another chatbot’s or another workspace’s content', async () => {
    const chatbot = await createChatbot('Mine');
    const sibling = await createChatbot('Mine too');
    const foreign = await createChatbot('Theirs');
    await addText(chatbot, 'Mine', 'Our bakery sells sourdough bread.');
    await addText(sibling, 'Sibling', 'The sibling bakery sells sourdough croissants.');
    await addText(foreign, 'Theirs', 'Their bakery sells sourdough baguettes.');

    const results = await searchKnowledge(database.handle.db, dialect, chatbot.id, 'sourdough bakery', 10);

    expect(results.map((result) => result.title)).toEqual(['Mine']);
  });

  it('treats hostile full-text syntax as plain words: no input makes the query fail', async () => {
    const chatbot = await createChatbot();
    await addText(chatbot, 'Notes', 'Near the station there is a car park.');
    const hostile = [
      '"',
      '""',
      '*',
      'NEAR(',
      'NEAR(station car, 2)',
      'OR',
      'AND NOT',
      'station OR',
      '^station',
      'heading:station',
      "'; drop table knowledge_chunks; --",
      '!!! & | <-> :*',
      '',
      '    ',
      '🙂 car',
      'x'.repeat(5000),
    ];

    for (const query of hostile) {
      await expect(
        searchKnowledge(database.handle.db, dialect, chatbot.id, query, 5),
        query,
      ).resolves.toBeInstanceOf(Array);
    }
    const near = await searchKnowledge(database.handle.db, dialect, chatbot.id, 'NEAR(station', 5);
    expect(near.map((result) => result.title)).toEqual(['Notes']);
  });

  it('re-ingests at start the sources a stopped process left queued or processing', async () => {
    const chatbot = await createChatbot();
    const now = clock.now().toISOString();
    const left = ['queued', 'processing'] as const;
    const sourceIds = left.map(() => ids());
    for (const [index, status] of left.entries()) {
      await insertKnowledgeSource(database.handle.db, {
        id: sourceIds[index] ?? '',
        workspace_id: chatbot.workspace_id,
        chatbot_id: chatbot.id,
        kind: 'text',
        title: `Left ${status}`,
        content: 'Gift wrapping is free at the counter.',
        status,
        error: null,
        chunk_count: 0,
        created_at: now,
        updated_at: now,
      });
    }

    expect(await resumeKnowledgeIngestion(database.handle.db, ingestion)).toBeGreaterThanOrEqual(2);
    await ingestion.drain();

    for (const id of sourceIds) {
      expect(await getKnowledgeSource(database.handle.db, chatbot.id, id)).toMatchObject({
        status: 'ready',
        chunk_count: 1,
      });
    }
    const results = await searchKnowledge(database.handle.db, dialect, chatbot.id, 'gift wrapping', 5);
    expect(results).toHaveLength(2);
  });
});
