import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import {
  findKnowledgeSourceById,
  listUnfinishedKnowledgeSources,
  replaceKnowledgeChunks,
  updateKnowledgeSourceStatus,
} from '../../db/knowledge.repository.ts';
import type { Clock } from '../../lib/clock.ts';
import type { IdGenerator } from '../../lib/ids.ts';
import { chunkPairs, chunkText } from './chunk-text.ts';

/** Chunks sources in the background, one ingestion per source at a time. */
export type IngestionQueue = {
  enqueue: (sourceId: string) => void;
  /** Resolves when every queued ingestion has finished (before the database closes). */
  drain: () => Promise<void>;
};

export type IngestionDeps = {
  db: Kysely<Database>;
  clock: Clock;
  ids: IdGenerator;
  onError: (sourceId: string, error: unknown) => void;
};

/** Chunks one source and publishes its chunks with the `ready` status in one transaction; a failure is recorded as `failed`. */
export async function ingestKnowledgeSource(deps: IngestionDeps, sourceId: string): Promise<void> {
  const source = await findKnowledgeSourceById(deps.db, sourceId);
  if (!source) return; // deleted while it waited
  const now = () => deps.clock.now().toISOString();
  await updateKnowledgeSourceStatus(deps.db, sourceId, { status: 'processing', updated_at: now() });
  try {
    const chunks =
      source.kind === 'qa'
        ? chunkPairs(JSON.parse(source.content) as { question: string; answer: string }[])
        : chunkText(source.content);
    if (chunks.length === 0) throw new Error('the source has no text to search');
    const created_at = now();
    await deps.db.transaction().execute(async (trx) => {
      await replaceKnowledgeChunks(
        trx,
        sourceId,
        chunks.map((chunk, position) => ({
          id: deps.ids(),
          source_id: sourceId,
          chatbot_id: source.chatbot_id,
          workspace_id: source.workspace_id,
          position,
          heading: chunk.heading,
          content: chunk.content,
          created_at,
        })),
      );
      await updateKnowledgeSourceStatus(trx, sourceId, {
        status: 'ready',
        error: null,
        chunk_count: chunks.length,
        updated_at: now(),
      });
    });
  } catch (error) {
    deps.onError(sourceId, error);
    const reason = error instanceof Error ? error.message : 'ingestion failed';
    await updateKnowledgeSourceStatus(deps.db, sourceId, {
      status: 'failed',
      error: reason.slice(0, 500),
      updated_at: now(),
    });
  }
}

export function createIngestionQueue(deps: IngestionDeps): IngestionQueue {
  // Per source, the latest ingestion runs after the one before it, so two never interleave their chunks.
  const tails = new Map<string, Promise<void>>();
  return {
    enqueue(sourceId) {
      const previous = tails.get(sourceId) ?? Promise.resolve();
      const next = previous
        .then(() => new Promise<void>((resolve) => setImmediate(resolve)))
        .then(() => ingestKnowledgeSource(deps, sourceId))
        .catch((error: unknown) => deps.onError(sourceId, error))
        .finally(() => {
          if (tails.get(sourceId) === next) tails.delete(sourceId);
        });
      tails.set(sourceId, next);
    },
    async drain() {
      while (tails.size > 0) await Promise.allSettled([...tails.values()]);
    },
  };
}

/** Queues again every source a stopped process left queued or half processed. */
export async function resumeKnowledgeIngestion(db: Kysely<Database>, queue: IngestionQueue): Promise<number> {
  const ids = await listUnfinishedKnowledgeSources(db);
  for (const id of ids) queue.enqueue(id);
  return ids.length;
}
