import { randomUUID } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Kysely } from 'kysely';
import type { Database, KnowledgeSourceRow } from '../../db/database.ts';
import {
  CHUNK_BATCH,
  claimKnowledgeSource,
  deleteKnowledgeChunkBatches,
  extendKnowledgeLease,
  insertKnowledgeChunks,
  settleKnowledgeSource,
} from '../../db/knowledge.repository.ts';
import type { Clock } from '../../lib/clock.ts';
import type { IdGenerator } from '../../lib/ids.ts';
import type { EmbeddingService } from '../../models/embedding-gateway.ts';
import { encodeEmbedding } from './embedding-codec.ts';
import { DocumentExtractionError } from './extract/extract-document.ts';
import { storageLimitReason, wouldPassStorageLimit } from './knowledge-quotas.ts';
import { type ReadSourceDeps, readSource, SourceReadError } from './read-source.ts';
import { WebImportError } from './web-import/import-web-pages.ts';

/**
 * Ingests knowledge sources in the background. Every instance runs one; they share the work through the
 * database: a source is claimed under a lease the claiming instance keeps renewing, so a source whose
 * instance stops is taken over by another (or by the same one after a restart) once its lease runs out.
 */
export type IngestionWorker = {
  /** Starts polling for work (queued sources, and sources whose lease ran out). */
  start: () => void;
  /** A source was queued: look for work now rather than at the next poll. */
  notify: () => void;
  /** Resolves when no claimable source is left and nothing runs here (tests, and before a snapshot). */
  drain: () => Promise<void>;
  /** Stops claiming, interrupts what runs here and hands it back to the queue for another instance. */
  stop: () => Promise<void>;
};

export type IngestionDeps = ReadSourceDeps & {
  db: Kysely<Database>;
  clock: Clock;
  ids: IdGenerator;
  embeddings: EmbeddingService | undefined;
  leaseMs: number;
  /** How many sources this instance ingests at once. */
  concurrency?: number;
  onError: (sourceId: string, error: unknown) => void;
  /** Told when a source of the chatbot became ready or failed (its ready knowledge changed). */
  onSourcesChanged?: (chatbotId: string) => void;
  /** The most bytes a workspace's sources may store: a file or web import whose text would pass it fails. */
  maxWorkspaceBytes?: number;
};

/** A source whose ingestion keeps being interrupted (its instance crashes mid-way) fails after this many starts. */
export const MAX_INGESTION_ATTEMPTS = 3;

const EMBEDDING_BATCH = 64;

/** Why an ingestion stopped before settling: its claim was lost, or this instance is stopping. */
class Interrupted extends Error {
  constructor(readonly reason: 'lost' | 'stopping') {
    super(`ingestion interrupted: ${reason}`);
  }
}

export function createIngestionWorker(deps: IngestionDeps): IngestionWorker {
  const concurrency = deps.concurrency ?? 1;
  const running = new Map<string, { task: Promise<void>; controller: AbortController }>();
  let pumping: Promise<void> | undefined;
  let wanted = false;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  const isoIn = (ms: number) => new Date(deps.clock.now().getTime() + ms).toISOString();

  async function claimAndRunAll(): Promise<void> {
    while (!stopped) {
      if (running.size >= concurrency) {
        await Promise.race([...running.values()].map((entry) => entry.task));
        continue;
      }
      const token = randomUUID();
      const source = await claimKnowledgeSource(deps.db, {
        token,
        now: deps.clock.now().toISOString(),
        leaseUntil: isoIn(deps.leaseMs),
      });
      if (!source) return;
      const controller = new AbortController();
      const task = ingest(source, token, controller)
        .catch((error: unknown) => deps.onError(source.id, error))
        .finally(() => {
          running.delete(token);
          wake();
        });
      running.set(token, { task, controller });
    }
  }

  function wake(): void {
    if (stopped) return;
    wanted = true;
    if (pumping) return;
    pumping = (async () => {
      while (wanted && !stopped) {
        wanted = false;
        await claimAndRunAll().catch((error: unknown) => deps.onError('*', error));
      }
    })().finally(() => {
      pumping = undefined;
    });
  }

  async function ingest(
    source: KnowledgeSourceRow,
    token: string,
    controller: AbortController,
  ): Promise<void> {
    const now = () => deps.clock.now().toISOString();
    if (source.attempts > MAX_INGESTION_ATTEMPTS) {
      await settleKnowledgeSource(deps.db, source.id, token, {
        status: 'failed',
        error: `ingestion was interrupted ${MAX_INGESTION_ATTEMPTS} times; re-sync the source to try again`,
        updated_at: now(),
      });
      return;
    }
    // The claim is renewed while the work runs; losing it (a re-sync, a delete) abandons the work.
    const heartbeat = setInterval(
      () => {
        extendKnowledgeLease(deps.db, source.id, token, isoIn(deps.leaseMs))
          .then((held) => {
            if (!held) controller.abort(new Interrupted('lost'));
          })
          .catch(() => {});
      },
      Math.max(250, Math.floor(deps.leaseMs / 3)),
    );
    heartbeat.unref();
    const chunkSet = randomUUID();
    let isPublished = false;
    try {
      const read = await readSource(deps, source, controller.signal);
      if (read.chunks.length === 0) throw new SourceReadError('the source has no text to search');
      const content = read.extractedText ?? source.content;
      const storedBytes = Number(source.byte_size ?? 0) + Buffer.byteLength(content);
      await checkWorkspaceStorage(source, storedBytes);
      const vectors = await embedChunks(
        read.chunks.map((chunk) => chunk.content),
        controller.signal,
      );
      // The new chunks are written beside the current ones, which keep answering, a batch at a time with a
      // turn of the event loop between batches; publishing them is one small update of the source.
      const created_at = now();
      for (let start = 0; start < read.chunks.length; start += CHUNK_BATCH) {
        controller.signal.throwIfAborted();
        const batch = read.chunks.slice(start, start + CHUNK_BATCH).map((chunk, index) => {
          const position = start + index;
          return {
            id: deps.ids(),
            source_id: source.id,
            chatbot_id: source.chatbot_id,
            workspace_id: source.workspace_id,
            position,
            heading: chunk.heading,
            content: chunk.content,
            url: chunk.url,
            page_title: chunk.pageTitle,
            embedding: vectors ? encodeEmbedding(vectors[position] as Float32Array) : null,
            embedding_model: vectors ? (deps.embeddings?.modelId ?? null) : null,
            created_at,
          };
        });
        await deps.db.transaction().execute((trx) => insertKnowledgeChunks(trx, chunkSet, batch));
        await nextTurn();
      }
      controller.signal.throwIfAborted();
      isPublished = await settleKnowledgeSource(deps.db, source.id, token, {
        status: 'ready',
        error: null,
        attempts: 0,
        chunk_count: read.chunks.length,
        chunk_set: chunkSet,
        stored_bytes: storedBytes,
        updated_at: now(),
        ...(read.extractedText !== undefined ? { content: read.extractedText } : {}),
        ...(read.title ? { title: read.title } : {}),
      });
      if (!isPublished) throw new Interrupted('lost');
      // The chunks the new set replaced, in batches too.
      await deleteKnowledgeChunkBatches(deps.db, source.id, { keepSet: chunkSet });
    } catch (caught) {
      // Chunks written for a set that was never published answer nothing: they go.
      if (!isPublished) {
        await deleteKnowledgeChunkBatches(deps.db, source.id, { onlySet: chunkSet }).catch(() => {});
      }
      const error = controller.signal.aborted ? controller.signal.reason : caught;
      if (error instanceof Interrupted) {
        // Stopping: hand the source back at once (this start does not count); lost: someone else owns it.
        if (error.reason === 'stopping') {
          await settleKnowledgeSource(deps.db, source.id, token, {
            status: 'queued',
            attempts: Math.max(0, source.attempts - 1),
          }).catch(() => {});
        }
        return;
      }
      deps.onError(source.id, caught);
      await settleKnowledgeSource(deps.db, source.id, token, {
        status: 'failed',
        error: describeFailure(caught),
        updated_at: now(),
      });
    } finally {
      clearInterval(heartbeat);
      // Whatever the outcome (ready, failed, handed back), the chatbot's ready knowledge may differ now.
      deps.onSourcesChanged?.(source.chatbot_id);
    }
  }

  /** A file or web import's text counts towards its workspace's storage quota once it is known. */
  async function checkWorkspaceStorage(source: KnowledgeSourceRow, storedBytes: number): Promise<void> {
    const max = deps.maxWorkspaceBytes;
    if (max === undefined || (source.kind !== 'file' && source.kind !== 'url')) return;
    if (await wouldPassStorageLimit(deps.db, source.workspace_id, storedBytes, max, source.id))
      throw new SourceReadError(storageLimitReason(max));
  }

  async function embedChunks(texts: string[], signal: AbortSignal): Promise<Float32Array[] | undefined> {
    if (!deps.embeddings) return undefined;
    const vectors: Float32Array[] = [];
    for (let start = 0; start < texts.length; start += EMBEDDING_BATCH) {
      signal.throwIfAborted();
      try {
        vectors.push(...(await deps.embeddings.embed(texts.slice(start, start + EMBEDDING_BATCH), signal)));
      } catch (error) {
        if (signal.aborted) throw signal.reason;
        throw new SourceReadError(
          `the embedding model failed: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
    return vectors;
  }

  return {
    start() {
      if (timer || stopped) return;
      // Polling finds sources queued on other instances and sources whose instance stopped mid-way.
      timer = setInterval(wake, Math.max(500, Math.min(5_000, Math.floor(deps.leaseMs / 2))));
      timer.unref();
      wake();
    },
    notify: wake,
    async drain() {
      wake();
      while (pumping || running.size > 0) {
        await Promise.allSettled([pumping, ...[...running.values()].map((entry) => entry.task)]);
      }
    },
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      for (const { controller } of running.values()) controller.abort(new Interrupted('stopping'));
      await Promise.allSettled([pumping, ...[...running.values()].map((entry) => entry.task)]);
    },
  };
}

/** The reason stored on a failed source: our own readers' messages are written for its owner; others are not. */
function describeFailure(error: unknown): string {
  const forOwner =
    error instanceof SourceReadError ||
    error instanceof WebImportError ||
    error instanceof DocumentExtractionError;
  if (forOwner) return error.message.slice(0, 500);
  return 'ingestion failed unexpectedly; re-sync the source to try again';
}
