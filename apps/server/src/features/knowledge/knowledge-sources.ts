import type { CreateKnowledgeSource, KnowledgePair, KnowledgeSource } from '@pollybot/contracts';
import type { Kysely } from 'kysely';
import type { ChatbotRow, Database, KnowledgeSourceRow } from '../../db/database.ts';
import {
  findKnowledgeSource,
  insertKnowledgeSource,
  requeueKnowledgeSource,
} from '../../db/knowledge.repository.ts';
import { AppError } from '../../errors/app-error.ts';
import type { Clock } from '../../lib/clock.ts';
import type { IdGenerator } from '../../lib/ids.ts';

export type KnowledgeDeps = {
  db: Kysely<Database>;
  clock: Clock;
  ids: IdGenerator;
  /** Told when a source is queued, so ingestion starts at once. */
  ingestion: { notify: () => void };
};

/** The pairs a Q&A source stores as JSON. */
export function parsePairs(content: string): KnowledgePair[] {
  return JSON.parse(content) as KnowledgePair[];
}

/** The API's view of a source: what it was made from (text, pairs, address or file) and how ingestion went. */
export function toKnowledgeSourceView(row: KnowledgeSourceRow): KnowledgeSource {
  return {
    id: row.id,
    chatbotId: row.chatbot_id,
    kind: row.kind,
    title: row.title,
    ...(row.kind === 'text' ? { content: row.content } : {}),
    ...(row.kind === 'qa' ? { pairs: parsePairs(row.content) } : {}),
    ...(row.kind === 'url' && row.url ? { url: row.url, crawl: row.crawl ?? 'page' } : {}),
    ...(row.kind === 'file'
      ? {
          file: {
            name: row.file_name ?? '',
            mediaType: row.media_type ?? 'application/octet-stream',
            size: Number(row.byte_size ?? 0),
          },
        }
      : {}),
    status: row.status,
    error: row.error,
    chunkCount: Number(row.chunk_count),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function newSourceRow(
  deps: KnowledgeDeps,
  chatbot: ChatbotRow,
  kind: KnowledgeSourceRow['kind'],
  title: string,
) {
  const now = deps.clock.now().toISOString();
  return {
    id: deps.ids(),
    workspace_id: chatbot.workspace_id,
    chatbot_id: chatbot.id,
    kind,
    title,
    content: '',
    status: 'queued' as const,
    error: null,
    chunk_count: 0,
    created_at: now,
    updated_at: now,
  };
}

/** Stores the source as queued; ingestion picks it up in the background and the caller answers at once. */
export async function createKnowledgeSource(
  deps: KnowledgeDeps,
  chatbot: ChatbotRow,
  input: CreateKnowledgeSource,
): Promise<KnowledgeSourceRow> {
  const base = newSourceRow(deps, chatbot, input.kind, input.title ?? '');
  const row =
    input.kind === 'url'
      ? { ...base, title: input.title ?? input.url, url: input.url, crawl: input.crawl }
      : { ...base, content: input.kind === 'qa' ? JSON.stringify(input.pairs) : input.content };
  await insertKnowledgeSource(deps.db, row);
  deps.ingestion.notify();
  return { ...emptyImportFields, ...row };
}

/** An uploaded file, stored with its bytes; its text is extracted in the background. */
export async function createKnowledgeFileSource(
  deps: KnowledgeDeps,
  chatbot: ChatbotRow,
  upload: { title: string; fileName: string; mediaType: string; bytes: Uint8Array },
): Promise<KnowledgeSourceRow> {
  const row = {
    ...newSourceRow(deps, chatbot, 'file', upload.title),
    file_name: upload.fileName,
    media_type: upload.mediaType,
    byte_size: upload.bytes.byteLength,
  };
  await insertKnowledgeSource(deps.db, row, upload.bytes);
  deps.ingestion.notify();
  return { ...emptyImportFields, ...row };
}

const emptyImportFields = {
  url: null,
  crawl: null,
  file_name: null,
  media_type: null,
  byte_size: null,
  lease_until: null,
  lease_token: null,
  chunk_set: null,
  attempts: 0,
};

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

/**
 * Queues the source to be read and chunked again (a file parsed again, pages fetched again); its current
 * chunks keep answering until the new ones replace them. An ingestion already running is abandoned.
 */
export async function resyncKnowledgeSource(
  deps: KnowledgeDeps,
  chatbotId: string,
  id: string,
): Promise<KnowledgeSourceRow> {
  const row = await requeueKnowledgeSource(deps.db, chatbotId, id, deps.clock.now().toISOString());
  if (!row) throw new AppError('KNOWLEDGE_SOURCE_NOT_FOUND');
  deps.ingestion.notify();
  return row;
}
