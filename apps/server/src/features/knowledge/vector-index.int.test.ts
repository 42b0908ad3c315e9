import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestDatabase,
  dialects,
  insertTestChatbot,
  type TestDatabase,
} from '../../../test/helpers/databases.ts';
import { type FakeOpenAi, fakeEmbedding, startFakeOpenAi } from '../../../test/helpers/fake-openai.ts';
import { connectDatabase, type DatabaseHandle } from '../../db/connect.ts';
import type { ChatbotRow } from '../../db/database.ts';
import { insertKnowledgeSource, replaceKnowledgeChunks } from '../../db/knowledge.repository.ts';
import { createIdGenerator } from '../../lib/ids.ts';
import { createEmbeddingService } from '../../models/embedding-gateway.ts';
import { encodeEmbedding } from './embedding-codec.ts';
import { createVectorIndex } from './vector-index.ts';

const MODEL = 'test/three-dimensions';

function cosine(a: number[], b: number[]): number {
  const dot = a.reduce((sum, value, index) => sum + value * (b[index] ?? 0), 0);
  return dot / Math.hypot(...a) / Math.hypot(...b);
}

describe.each(dialects)('vector index on $dialect', ({ dialect, skipReason }) => {
  if (skipReason) {
    it.skip(`skipped: ${skipReason}`, () => {});
    return;
  }

  let database: TestDatabase;
  // A second connection, as another instance of the server would have.
  let other: DatabaseHandle;
  const clock = { now: () => new Date('2026-01-01T00:00:00.000Z') };
  const ids = createIdGenerator();

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    other = connectDatabase(database.url);
  });
  afterAll(async () => {
    await other.close();
    await database.drop();
  });

  const createChatbot = (workspace = 'Shop') =>
    insertTestChatbot(database.handle.db, { ids, clock }, { workspace });

  type ChunkSpec = { vector: number[] | null; model?: string; id?: string };

  /** A ready source of the chatbot holding one chunk per spec; returns the chunk ids in order. */
  async function addChunks(chatbot: ChatbotRow, specs: ChunkSpec[], db = database.handle.db) {
    const sourceId = ids();
    const now = clock.now().toISOString();
    await insertKnowledgeSource(db, {
      id: sourceId,
      workspace_id: chatbot.workspace_id,
      chatbot_id: chatbot.id,
      kind: 'text',
      title: 'Notes',
      content: '',
      status: 'ready',
      error: null,
      chunk_count: specs.length,
      created_at: now,
      updated_at: now,
    });
    return replaceSourceChunks(chatbot, sourceId, specs, db);
  }

  async function replaceSourceChunks(
    chatbot: ChatbotRow,
    sourceId: string,
    specs: ChunkSpec[],
    db = database.handle.db,
  ) {
    const chunks = specs.map((spec, position) => ({
      id: spec.id ?? ids(),
      source_id: sourceId,
      chatbot_id: chatbot.id,
      workspace_id: chatbot.workspace_id,
      position,
      heading: null,
      content: `chunk ${position}`,
      url: null,
      page_title: null,
      embedding: spec.vector ? encodeEmbedding(Float32Array.from(spec.vector)) : null,
      embedding_model: spec.vector ? (spec.model ?? MODEL) : null,
      created_at: clock.now().toISOString(),
    }));
    await db.transaction().execute((trx) => replaceKnowledgeChunks(trx, sourceId, chunks));
    return { sourceId, chunkIds: chunks.map((chunk) => chunk.id) };
  }

  const query = (...values: number[]) => Float32Array.from(values);

  it('returns the nearest chunks by cosine, best first, with their similarity', async () => {
    const chatbot = await createChatbot();
    const {
      chunkIds: [east, north, northEast, west],
    } = await addChunks(chatbot, [
      { vector: [1, 0, 0] },
      { vector: [0, 5, 0] },
      { vector: [1, 1, 0] },
      { vector: [-1, 0, 0] },
    ]);
    const index = createVectorIndex(database.handle.db);

    const hits = await index.search(chatbot.id, MODEL, query(2, 1, 0), 3);

    expect(hits.map((hit) => hit.chunkId)).toEqual([northEast, east, north]);
    expect(hits[0]?.score).toBeCloseTo(3 / Math.sqrt(10), 5);
    expect(hits[1]?.score).toBeCloseTo(2 / Math.sqrt(5), 5);
    expect(hits.map((hit) => hit.chunkId)).not.toContain(west);
  });

  it('gives equally similar chunks in the order they were written', async () => {
    const chatbot = await createChatbot();
    const { chunkIds } = await addChunks(chatbot, [
      { vector: [0, 1, 0] },
      { vector: [0, 2, 0] },
      { vector: [0, 3, 0] },
    ]);

    const hits = await createVectorIndex(database.handle.db).search(chatbot.id, MODEL, query(0, 1, 0), 10);

    expect(hits.map((hit) => hit.chunkId)).toEqual(chunkIds);
  });

  it('never returns another chatbot’s chunks, however near', async () => {
    const chatbot = await createChatbot('Mine');
    const sibling = await createChatbot('Mine');
    const foreign = await createChatbot('Theirs');
    const mine = await addChunks(chatbot, [{ vector: [0, 0, 1] }]);
    await addChunks(sibling, [{ vector: [1, 0, 0] }]);
    await addChunks(foreign, [{ vector: [1, 0, 0] }]);

    const hits = await createVectorIndex(database.handle.db).search(chatbot.id, MODEL, query(1, 0, 0), 10);

    expect(hits.map((hit) => hit.chunkId)).toEqual(mine.chunkIds);
  });

  it('compares only vectors of the query’s model, and skips chunks without an embedding', async () => {
    const chatbot = await createChatbot();
    const { chunkIds } = await addChunks(chatbot, [
      { vector: [1, 0, 0], model: 'test/other-model' },
      { vector: null },
      { vector: [0, 1, 0] },
    ]);
    const index = createVectorIndex(database.handle.db);

    expect((await index.search(chatbot.id, MODEL, query(1, 0, 0), 10)).map((hit) => hit.chunkId)).toEqual([
      chunkIds[2],
    ]);
    expect(
      (await index.search(chatbot.id, 'test/other-model', query(1, 0, 0), 10)).map((hit) => hit.chunkId),
    ).toEqual([chunkIds[0]]);
  });

  it('answers nothing for a chatbot without embeddings, or a query of another length', async () => {
    const empty = await createChatbot();
    const textOnly = await createChatbot();
    await addChunks(textOnly, [{ vector: null }, { vector: null }]);
    const withVectors = await createChatbot();
    await addChunks(withVectors, [{ vector: [1, 0, 0] }]);
    const index = createVectorIndex(database.handle.db);

    expect(await index.search(empty.id, MODEL, query(1, 0, 0), 5)).toEqual([]);
    expect(await index.search(textOnly.id, MODEL, query(1, 0, 0), 5)).toEqual([]);
    expect(await index.search(withVectors.id, MODEL, query(1, 0), 5)).toEqual([]);
    expect(await index.search(withVectors.id, MODEL, query(1, 0, 0), 0)).toEqual([]);
  });

  it('sees chunks that another instance added, replaced or deleted since its last search', async () => {
    const chatbot = await createChatbot();
    const first = await addChunks(chatbot, [{ vector: [1, 0, 0] }]);
    const index = createVectorIndex(database.handle.db);
    const nearest = async () => (await index.search(chatbot.id, MODEL, query(0, 1, 0), 1))[0]?.chunkId;
    expect(await nearest()).toBe(first.chunkIds[0]);

    const added = await addChunks(chatbot, [{ vector: [0, 1, 0] }], other.db);
    expect(await nearest()).toBe(added.chunkIds[0]);

    const replaced = await replaceSourceChunks(chatbot, added.sourceId, [{ vector: [0.1, 1, 0] }], other.db);
    expect(await nearest()).toBe(replaced.chunkIds[0]);

    await other.db.deleteFrom('knowledge_sources').where('id', '=', added.sourceId).execute();
    expect(await nearest()).toBe(first.chunkIds[0]);

    await other.db.deleteFrom('knowledge_sources').where('id', '=', first.sourceId).execute();
    expect(await nearest()).toBeUndefined();
  });

  it('sees a replacement by as many chunks with older ids, as an instance whose clock is behind writes', async () => {
    const chatbot = await createChatbot();
    // An id made before the others: what an instance whose clock is behind would write now.
    const older = ids();
    const replaced = await addChunks(chatbot, [{ vector: [0, 1, 0] }]);
    await addChunks(chatbot, [{ vector: [1, 0, 0] }]);
    const index = createVectorIndex(database.handle.db);
    expect((await index.search(chatbot.id, MODEL, query(0, 1, 0), 1))[0]?.chunkId).toBe(replaced.chunkIds[0]);

    // One chunk out, one in: the count and the newest id (the other source's) stay as they were.
    await replaceSourceChunks(chatbot, replaced.sourceId, [{ vector: [0, 0, 1], id: older }], other.db);

    expect((await index.search(chatbot.id, MODEL, query(0, 0, 1), 1))[0]).toMatchObject({ chunkId: older });
  });

  it('stays right with a cache too small to keep any chatbot, and with many chatbots in turn', async () => {
    const chatbots = await Promise.all([createChatbot(), createChatbot(), createChatbot()]);
    const expected: string[] = [];
    for (const [position, chatbot] of chatbots.entries()) {
      const vector = [0, 0, 0];
      vector[position] = 1;
      expected.push((await addChunks(chatbot, [{ vector }, { vector: [1, 1, 1] }])).chunkIds[0] as string);
    }
    for (const maxCacheBytes of [0, 200, 64 * 1024 * 1024]) {
      const index = createVectorIndex(database.handle.db, { maxCacheBytes });
      for (let round = 0; round < 2; round++) {
        for (const [position, chatbot] of chatbots.entries()) {
          const vector = [0, 0, 0];
          vector[position] = 1;
          const [hit] = await index.search(chatbot.id, MODEL, Float32Array.from(vector), 1);
          expect(hit?.chunkId).toBe(expected[position]);
        }
      }
    }
  });

  it('finds by meaning chunks embedded through an OpenAI-compatible provider and stored as bytes', async () => {
    const fake: FakeOpenAi = await startFakeOpenAi();
    try {
      const embeddings = createEmbeddingService('openai/fake-embedding', { openaiBaseUrl: fake.baseUrl });
      if (!embeddings) throw new Error('the embedding service was not created');
      const chatbot = await createChatbot();
      const texts = [
        'Refunds go back to your card within five days.',
        'Parcels ship in two days by courier.',
      ];
      const vectors = await embeddings.embed(texts);
      const { chunkIds } = await addChunks(
        chatbot,
        vectors.map((vector) => ({ vector: [...vector], model: embeddings.modelId })),
      );
      const [question] = await embeddings.embed(['refunds to my card']);
      if (!question) throw new Error('no vector for the question');

      const hits = await createVectorIndex(database.handle.db).search(
        chatbot.id,
        embeddings.modelId,
        question,
        5,
      );

      expect(hits.map((hit) => hit.chunkId)).toEqual(chunkIds);
      expect(hits[0]?.score).toBeCloseTo(
        cosine(fakeEmbedding('refunds to my card'), fakeEmbedding(texts[0] ?? '')),
        5,
      );
      expect(hits[0]?.score).toBeGreaterThan(hits[1]?.score ?? 1);
    } finally {
      await fake.close();
    }
  });
});
