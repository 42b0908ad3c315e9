import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestDatabase,
  dialects,
  insertTestChatbot,
  type TestDatabase,
} from '../../../test/helpers/databases.ts';
import { createTestIngestion } from '../../../test/helpers/ingestion.ts';
import { findKnowledgeMatches, insertKnowledgeSource } from '../../db/knowledge.repository.ts';
import { createIdGenerator } from '../../lib/ids.ts';
import { type IngestionWorker, MAX_INGESTION_ATTEMPTS } from './ingestion-worker.ts';
import { createKnowledgeSource, getKnowledgeSource } from './knowledge-sources.ts';
import { searchKnowledge } from './search-knowledge.ts';

describe.each(dialects)('knowledge search on $dialect', ({ dialect, skipReason }) => {
  if (skipReason) {
    it.skip(`skipped: ${skipReason}`, () => {});
    return;
  }

  let database: TestDatabase;
  let ingestion: IngestionWorker;
  const clock = { now: () => new Date('2026-01-01T00:00:00.000Z') };
  const ids = createIdGenerator();
  const search = () => ({ db: database.handle.db, dialect });
  const deps = () => ({ db: database.handle.db, clock, ids, ingestion });

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    ingestion = createTestIngestion(database.handle.db, { clock, ids });
  });
  afterAll(async () => {
    await ingestion.stop();
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

    const results = await searchKnowledge(search(), chatbot.id, 'parcel refund', 5);

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

    const results = await searchKnowledge(search(), chatbot.id, 'sourdough bakery', 10);

    expect(results.map((result) => result.title)).toEqual(['Mine']);
  });

  it('looks chunks up by id for one chatbot only, whatever ids it is given', async () => {
    const chatbot = await createChatbot('Mine');
    const foreign = await createChatbot('Theirs');
    await addText(chatbot, 'Mine', 'Our bakery sells rye bread.');
    await addText(foreign, 'Theirs', 'Their bakery sells rye rolls.');
    const chunkIds = (
      await database.handle.db.selectFrom('knowledge_chunks').select('id').orderBy('id').execute()
    ).map((row) => row.id);

    const found = await findKnowledgeMatches(database.handle.db, chatbot.id, chunkIds);

    expect(found.length).toBeGreaterThan(0);
    expect(new Set(found.map((match) => match.title))).toEqual(new Set(['Mine']));
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
      await expect(searchKnowledge(search(), chatbot.id, query, 5), query).resolves.toBeInstanceOf(Array);
    }
    const near = await searchKnowledge(search(), chatbot.id, 'NEAR(station', 5);
    expect(near.map((result) => result.title)).toEqual(['Notes']);
  });

  it('takes over what a stopped instance left: queued sources, and processing ones whose lease ran out', async () => {
    const chatbot = await createChatbot();
    const now = clock.now().toISOString();
    const past = new Date(clock.now().getTime() - 1_000).toISOString();
    const future = new Date(clock.now().getTime() + 60_000).toISOString();
    const left = [
      { status: 'queued', lease_until: null, title: 'Left queued' },
      { status: 'processing', lease_until: past, title: 'Lease ran out' },
      { status: 'processing', lease_until: future, title: 'Still leased' },
    ] as const;
    const sourceIds = left.map(() => ids());
    for (const [index, source] of left.entries()) {
      await insertKnowledgeSource(database.handle.db, {
        id: sourceIds[index] ?? '',
        workspace_id: chatbot.workspace_id,
        chatbot_id: chatbot.id,
        kind: 'text',
        title: source.title,
        content: 'Gift wrapping is free at the counter.',
        status: source.status,
        error: null,
        chunk_count: 0,
        created_at: now,
        updated_at: now,
      });
      if (source.lease_until) {
        await database.handle.db
          .updateTable('knowledge_sources')
          .set({ lease_until: source.lease_until, lease_token: 'another-instance', attempts: 1 })
          .where('id', '=', sourceIds[index] ?? '')
          .execute();
      }
    }

    // A second worker, as another instance would run: every claimable source is taken exactly once.
    const other = createTestIngestion(database.handle.db, { clock, ids });
    await Promise.all([ingestion.drain(), other.drain()]);
    await other.stop();

    const statuses = await Promise.all(
      sourceIds.map((id) => getKnowledgeSource(database.handle.db, chatbot.id, id)),
    );
    expect(statuses.map((source) => [source.title, source.status, Number(source.chunk_count)])).toEqual([
      ['Left queued', 'ready', 1],
      ['Lease ran out', 'ready', 1],
      ['Still leased', 'processing', 0],
    ]);
    const results = await searchKnowledge(search(), chatbot.id, 'gift wrapping', 5);
    expect(results.map((result) => result.title).sort()).toEqual(['Lease ran out', 'Left queued']);
  });

  it('fails a source whose ingestion keeps being interrupted instead of retrying it forever', async () => {
    const chatbot = await createChatbot();
    const now = clock.now().toISOString();
    const id = ids();
    await insertKnowledgeSource(database.handle.db, {
      id,
      workspace_id: chatbot.workspace_id,
      chatbot_id: chatbot.id,
      kind: 'text',
      title: 'Crashes its instance',
      content: 'Text.',
      status: 'processing',
      error: null,
      chunk_count: 0,
      created_at: now,
      updated_at: now,
    });
    await database.handle.db
      .updateTable('knowledge_sources')
      .set({
        lease_until: new Date(clock.now().getTime() - 1_000).toISOString(),
        lease_token: 'crashed',
        attempts: MAX_INGESTION_ATTEMPTS,
      })
      .where('id', '=', id)
      .execute();

    await ingestion.drain();

    const source = await getKnowledgeSource(database.handle.db, chatbot.id, id);
    expect(source.status).toBe('failed');
    expect(source.error).toMatch(/interrupted 3 times; re-sync/);
  });
});
