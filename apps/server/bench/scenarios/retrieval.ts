import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { findChatKnowledge } from '../../src/features/knowledge/find-chat-knowledge.ts';
import { createIngestionWorker } from '../../src/features/knowledge/ingestion-worker.ts';
import { createKnowledgeSource } from '../../src/features/knowledge/knowledge-sources.ts';
import type { KnowledgeSearchDeps } from '../../src/features/knowledge/search-knowledge.ts';
import { createVectorIndex } from '../../src/features/knowledge/vector-index.ts';
import { systemClock } from '../../src/lib/clock.ts';
import { createIdGenerator } from '../../src/lib/ids.ts';
import type { EmbeddingService } from '../../src/models/embedding-gateway.ts';
import { createTestDatabase, insertTestChatbot } from '../../test/helpers/databases.ts';
import { fakeEmbedding } from '../../test/helpers/fake-openai.ts';
import { type Summary, summarise, timed } from '../stats.ts';

// Retrieval over a chatbot with many chunks: the time findChatKnowledge (what every chat turn of a
// chatbot with knowledge runs) takes, against the same turn for a chatbot without knowledge.

const FIXTURES = fileURLToPath(new URL('../../test/fixtures/knowledge/', import.meta.url));

export type RetrievalOptions = {
  chunks: number;
  queries: number;
  dialect: 'sqlite' | 'postgres';
  label: string;
  /**
   * Dimensions of vectors to search beside full text. The vectors come from a hashing embedder in this
   * process, so the figure is the cost of PollyBot's vector search and merge, not of an embedding model
   * (a remote one adds its round trip; the built-in one 20 to 50 ms per question).
   */
  vectorDimensions?: number | undefined;
};

export type RetrievalResult = {
  label: string;
  chunks: number;
  ingestSeconds: number;
  withKnowledge: Summary;
  withoutKnowledge: Summary;
  /** Median time retrieval adds to a turn. */
  addedP50: number;
};

/** Words from the fixture documents, so generated chunks share vocabulary with real questions. */
function vocabulary(): string[] {
  const text = readdirSync(FIXTURES)
    .filter((file) => file.endsWith('.md'))
    .map((file) => readFileSync(join(FIXTURES, file), 'utf8'))
    .join(' ');
  return [...new Set(text.toLowerCase().match(/[a-z]{4,}/g) ?? [])];
}

/** A deterministic pseudo-random generator, so every run indexes the same text. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

/** Text of about `chunks` chunks (each section stays under one chunk's 800 characters). */
function generateDocuments(chunks: number, perSource: number): { title: string; content: string }[] {
  const words = vocabulary();
  const next = random(42);
  const pick = () => words[Math.floor(next() * words.length)] ?? 'shop';
  const sentence = () => {
    const length = 8 + Math.floor(next() * 10);
    const text = Array.from({ length }, pick).join(' ');
    return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
  };
  const documents: { title: string; content: string }[] = [];
  for (let made = 0; made < chunks; made += perSource) {
    const sections: string[] = [];
    for (let index = 0; index < Math.min(perSource, chunks - made); index++) {
      sections.push(`# Section ${made + index} ${pick()}\n${Array.from({ length: 5 }, sentence).join(' ')}`);
    }
    documents.push({ title: `Catalogue part ${documents.length + 1}`, content: sections.join('\n\n') });
  }
  return documents;
}

/** Unit vectors from the test fake's word hashing, at any size: instant, deterministic, similar for similar words. */
function hashingEmbeddings(dimensions: number): EmbeddingService {
  return {
    modelId: `bench/hashing-${dimensions}`,
    embed: async (texts) =>
      texts.map((text) => {
        const vector = Float32Array.from(fakeEmbedding(text, dimensions));
        const norm = Math.hypot(...vector) || 1;
        return vector.map((value) => value / norm);
      }),
  };
}

export async function benchRetrieval(options: RetrievalOptions): Promise<RetrievalResult> {
  const { handle, drop } = await createTestDatabase(options.dialect);
  try {
    const ids = createIdGenerator();
    const embeddings = options.vectorDimensions ? hashingEmbeddings(options.vectorDimensions) : undefined;
    const ingestion = createIngestionWorker({
      db: handle.db,
      clock: systemClock,
      ids,
      embeddings,
      leaseMs: 60_000,
      concurrency: 2,
      webImport: {
        allowPrivateNetworks: false,
        maxPages: 1,
        maxBytesPerPage: 1,
        timeoutMs: 1,
        concurrency: 1,
        userAgent: 'bench',
      },
      onError: (sourceId, error) => {
        throw new Error(`ingestion of ${sourceId} failed: ${String(error)}`);
      },
    });
    const clock = systemClock;
    const withKnowledge = await insertTestChatbot(handle.db, { ids, clock }, { chatbot: 'Large knowledge' });
    const without = await insertTestChatbot(handle.db, { ids, clock }, { chatbot: 'No knowledge' });
    const deps = { db: handle.db, clock: systemClock, ids, ingestion };

    const ingestStart = process.hrtime.bigint();
    for (const file of readdirSync(FIXTURES).filter((name) => name.endsWith('.md'))) {
      const content = readFileSync(join(FIXTURES, file), 'utf8');
      await createKnowledgeSource(deps, withKnowledge, {
        kind: 'text',
        title: file.replace('.md', ''),
        content,
      });
    }
    for (const document of generateDocuments(options.chunks, 500)) {
      await createKnowledgeSource(deps, withKnowledge, { kind: 'text', ...document });
    }
    await ingestion.drain();
    const ingestSeconds = Number(process.hrtime.bigint() - ingestStart) / 1e9;
    await ingestion.stop();
    const { rows } = await sql<{ count: string | number }>`
      select count(*) as count from knowledge_chunks where chatbot_id = ${withKnowledge.id}`.execute(
      handle.db,
    );
    const chunks = Number(rows[0]?.count ?? 0);

    const search: KnowledgeSearchDeps = {
      db: handle.db,
      dialect: handle.dialect,
      embeddings,
      vectors: embeddings ? createVectorIndex(handle.db) : undefined,
    };
    const questions = (
      JSON.parse(readFileSync(join(FIXTURES, 'questions.json'), 'utf8')) as { question: string }[]
    ).map((entry) => entry.question);
    const question = (index: number) => questions[index % questions.length] ?? 'hello';

    // Warm-up: caches, prepared plans and the embedding model's first call.
    for (let index = 0; index < 20; index++) {
      await findChatKnowledge(search, withKnowledge, question(index));
      await findChatKnowledge(search, without, question(index));
    }
    const withTimes: number[] = [];
    const withoutTimes: number[] = [];
    for (let index = 0; index < options.queries; index++) {
      // Interleaved, so both see the same machine state.
      withTimes.push(await timed(() => findChatKnowledge(search, withKnowledge, question(index))));
      withoutTimes.push(await timed(() => findChatKnowledge(search, without, question(index))));
    }
    const withSummary = summarise(withTimes);
    const withoutSummary = summarise(withoutTimes);
    return {
      label: options.label,
      chunks,
      ingestSeconds,
      withKnowledge: withSummary,
      withoutKnowledge: withoutSummary,
      addedP50: withSummary.p50 - withoutSummary.p50,
    };
  } finally {
    await drop();
  }
}
