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
import { createTestIngestion } from '../../../test/helpers/ingestion.ts';
import { createIdGenerator } from '../../lib/ids.ts';
import { PASSAGES_PER_REPLY } from './find-chat-knowledge.ts';
import type { IngestionWorker } from './ingestion-worker.ts';
import { createKnowledgeSource, getKnowledgeSource } from './knowledge-sources.ts';
import { isRelevant } from './relevance.ts';
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

/** Questions the shop's documents say nothing about, though some share a word with them. */
const OFF_TOPIC = [
  'What is the capital of Peru?',
  'Which item of clothing suits a wedding on the moon?',
  'Can you recommend a good pizza place?',
  'Who won the football world cup?',
  'How do I bake sourdough bread?',
  'What time is the train to Paris?',
];

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
  let ingestion: IngestionWorker;
  const clock = { now: () => new Date('2026-01-01T00:00:00.000Z') };
  const ids = createIdGenerator();
  const search = () => ({ db: database.handle.db, dialect });

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    ingestion = createTestIngestion(database.handle.db, { clock, ids });
  });
  afterAll(async () => {
    await ingestion.stop();
    await database.drop();
  });

  it('the fixture is a sound test set', () => {
    expect(documents.length).toBeGreaterThanOrEqual(6);
    expect(questions.length).toBeGreaterThanOrEqual(30);
    const titles = new Set(documents.map((document) => document.title));
    for (const { question, expected } of questions) expect(titles.has(expected), question).toBe(true);
  });

  /** A chatbot with the whole document set, ingested and checked ready. */
  async function createShopChatbot() {
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
    return chatbot;
  }

  it(`finds the expected source in the top ${TOP_K} for at least ${MIN_RECALL * 100}% of questions`, async () => {
    const chatbot = await createShopChatbot();

    const misses: string[] = [];
    for (const { question, expected } of questions) {
      const results = await searchKnowledge(search(), chatbot.id, question, TOP_K);
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

  it('the relevance threshold keeps the answering passage of in-scope questions and drops off-topic ones', async () => {
    const chatbot = await createShopChatbot();
    const kept: string[] = [];
    const dropped: string[] = [];
    for (const { question, expected } of questions) {
      const found = await searchKnowledge(search(), chatbot.id, question, PASSAGES_PER_REPLY);
      const relevant = found.filter((match) => isRelevant(match, question));
      if (relevant.some((match) => match.title === expected)) kept.push(question);
      else dropped.push(`  dropped: "${question}"`);
    }
    const answered = [];
    for (const question of OFF_TOPIC) {
      const found = await searchKnowledge(search(), chatbot.id, question, PASSAGES_PER_REPLY);
      if (found.some((match) => isRelevant(match, question))) answered.push(`  answered: "${question}"`);
    }

    console.log(
      [
        `relevance (${dialect}): ${kept.length}/${questions.length} in-scope questions keep their source ` +
          `among the passages a reply gets; ` +
          `${answered.length}/${OFF_TOPIC.length} off-topic questions find a passage`,
        ...dropped,
        ...answered,
      ].join('\n'),
    );
    expect(kept.length / questions.length).toBeGreaterThanOrEqual(MIN_RECALL);
    expect(answered).toEqual([]);
  });
});
