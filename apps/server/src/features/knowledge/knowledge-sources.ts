import type { CreateKnowledgeSource, KnowledgePair, KnowledgeSource } from '@pollybot/contracts';
import type { Kysely } from 'kysely';
import type { ChatbotRow, Database, KnowledgeSourceRow } from '../../db/database.ts';
import {
  findKnowledgeSource,
  insertKnowledgeSource,
  updateKnowledgeSourceStatus,
} from '../../db/knowledge.repository.ts';
import { AppError } from '../../errors/app-error.ts';
import type { Clock } from '../../lib/clock.ts';
import type { IdGenerator } from '../../lib/ids.ts';
import type { IngestionQueue } from './ingestion-queue.ts';

export type KnowledgeDeps = {
  db: Kysely<Database>;
  clock: Clock;
  ids: IdGenerator;
  ingestion: IngestionQueue;
};

/** The pairs a Q&A source stores as JSON. */
export function parsePairs(content: string): KnowledgePair[] {
  return JSON.parse(content) as KnowledgePair[];
}

/** The API's view of a source. */
export function toKnowledgeSourceView(row: KnowledgeSourceRow): KnowledgeSource {
  return {
    id: row.id,
    chatbotId: row.chatbot_id,
    kind: row.kind,
    title: row.title,
    ...(row.kind === 'qa' ? { pairs: parsePairs(row.content) } : { content: row.content }),
    status: row.status,
    error: row.error,
    chunkCount: Number(row.chunk_count),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Stores the source as queued and starts its ingestion in the background; the caller answers at once. */
export async function createKnowledgeSource(
  deps: KnowledgeDeps,
  chatbot: ChatbotRow,
  input: CreateKnowledgeSource,
): Promise<KnowledgeSourceRow> {
  const now = deps.clock.now().toISOString();
  const row: KnowledgeSourceRow = {
    id: deps.ids(),
    workspace_id: chatbot.workspace_id,
    chatbot_id: chatbot.id,
    kind: input.kind,
    title: input.title,
    content: input.kind === 'qa' ? JSON.stringify(input.pairs) : input.content,
    status: 'queued',
    error: null,
    chunk_count: 0,
    created_at: now,
    updated_at: now,
  };
  await insertKnowledgeSource(deps.db, row);
  deps.ingestion.enqueue(row.id);
  return row;
}

/** The chatbot's source, or KNOWLEDGE_SOURCE_NOT_FOUND. */
export async function getKnowledgeSource(
  db: Kysely<Database>,
  chatbotId: string,
  id: string,
): Promise<KnowledgeSourceRow> {
  const row = await findKnowledgeSource(db, chatbotId, id);
  if (!row) throw new AppError('KNOWLEDGE_SOURCE_NOT_FOUND');
  return row;
}

/** Queues the source to be chunked again; its current chunks keep answering until the new ones replace them. */
export async function resyncKnowledgeSource(
  deps: KnowledgeDeps,
  chatbotId: string,
  id: string,
): Promise<KnowledgeSourceRow> {
  const row = await getKnowledgeSource(deps.db, chatbotId, id);
  const updated_at = deps.clock.now().toISOString();
  await updateKnowledgeSourceStatus(deps.db, row.id, { status: 'queued', error: null, updated_at });
  deps.ingestion.enqueue(row.id);
  return { ...row, status: 'queued', error: null, updated_at };
}
