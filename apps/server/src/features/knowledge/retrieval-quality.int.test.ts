import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestDatabase,
  dialects,
  insertTestChatbot,
  type TestDatabase,
} from '../../../test/helpers/databases.ts';
import { createIdGenerator } from '../../lib/ids.ts';
import { createIngestionQueue, type IngestionQueue } from './ingestion-queue.ts';
import { createKnowledgeSource, getKnowledgeSource } from './knowledge-sources.ts';
import { searchKnowledge } from './search-knowledge.ts';

/**
 * Retrieval quality over a fixed document set of a fictional coffee-equipment shop: every question a
 * customer might ask names the document that answers it, and at least 80% of them must find that
 * document among the top three chunks.
 */
const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/knowledge/', import.meta.url));
const MIN_RECALL = 0.8;
const TOP_K = 3;

type Question = { question: string; expected: string };

/** Each Markdown document, titled by its first-level heading. */
function loadDocuments(): { title: string; content: string }[] {
  return readdirSync(FIXTURES)
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => {
      const content = readFileSync(join(FIXTURES, name), 'utf8');
      const title = /^# (.+)$/m.exec(content)?.[1]?.trim();
      if (!title) throw new Error(`${name} has no first-level heading`);
      return { title, content };
    });
}

const documents = loadDocuments();
const questions = JSON.parse(readFileSync(join(FIXTURES, 'questions.json'), 'utf8')) as Question[];

describe.each(dialects)('knowledge retrieval quality on $dialect', ({ dialect, skipReason }) => {
  if (skipReason) {
    it.skip(`skipped: ${skipReason}`, () => {});
    return;
  }

  let database: TestDatabase;
  let ingestion: IngestionQueue;
  const clock = { now: () => new Date('2026-01-01T00:00:00.000Z') };
  const ids = createIdGenerator();

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

  it('the fixture is a sound test set', () => {
    expect(documents.length).toBeGreaterThanOrEqual(6);
    expect(questions.length).toBeGreaterThanOrEqual(30);
    const titles = new Set(documents.map((document) => document.title));
    for (const { question, expected } of questions) expect(titles.has(expected), question).toBe(true);
  });

  it(`finds the expected source in the top ${TOP_K} for at least ${MIN_RECALL * 100}% of questions`, async () => {
    const chatbot = await insertTestChatbot(
      database.handle.db,
      { ids, clock },
      { workspace: 'Kettlewood', chatbot: 'Kettlewood support' },
    );

    const deps = { db: database.handle.db, clock, ids, ingestion };
    const sources = [];
    for (const { title, content } of documents) {
      sources.push(await createKnowledgeSource(deps, chatbot, { kind: 'text', title, content }));
    }
    await ingestion.drain();
    for (const source of sources) {
      const stored = await getKnowledgeSource(database.handle.db, chatbot.id, source.id);
      expect(stored.status, source.title).toBe('ready');
      expect(Number(stored.chunk_count), source.title).toBeGreaterThan(1);
    }

    const misses: string[] = [];
    for (const { question, expected } of questions) {
      const results = await searchKnowledge(database.handle.db, dialect, chatbot.id, question, TOP_K);
      const titles = results.map((result) => result.title);
      if (!titles.includes(expected)) {
        misses.push(`  miss: "${question}" expected ${expected}, got [${titles.join(', ') || 'nothing'}]`);
      }
    }

    const hits = questions.length - misses.length;
    const recall = hits / questions.length;
    console.log(
      [
        `retrieval recall@${TOP_K} (${dialect}, lexical): ${recall.toFixed(2)} (${hits}/${questions.length})`,
        ...misses,
      ].join('\n'),
    );
    expect(recall).toBeGreaterThanOrEqual(MIN_RECALL);
  });
});
