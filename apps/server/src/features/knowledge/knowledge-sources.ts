import type { CreateKnowledgeSource, KnowledgePair, KnowledgeSource } from '@pollybot/contracts';
import type { Kysely } from 'kysely';
import type { ChatbotRow, Database, KnowledgeSourceRow } from '../../db/database.ts';
import {
  deleteKnowledgeChunkBatches,
  deleteKnowledgeSource,
  findKnowledgeSource,
  hasKnowledgeSource,
  insertKnowledgeSource,
  type KnowledgeSourceSummary,
  listKnowledgeSources,
  requeueKnowledgeSource,
  retireKnowledgeSource,
} from '../../db/knowledge.repository.ts';
import type { Page, PageOptions } from '../../db/page.ts';
import { AppError } from '../../errors/app-error.ts';
import type { Clock } from '../../lib/clock.ts';
import type { IdGenerator } from '../../lib/ids.ts';
import type { InvalidationBus } from '../cache/invalidation-bus.ts';
import { checkKnowledgeQuotas, type KnowledgeQuotaDeps } from './knowledge-quotas.ts';

export type KnowledgeDeps = KnowledgeQuotaDeps & {
  db: Kysely<Database>;
  clock: Clock;
  ids: IdGenerator;
  /** Told when a source is queued, so ingestion starts at once. */
  ingestion: { notify: () => void };
};

/** What re-syncing or removing a source also takes: the bus that tells every instance its knowledge changed. */
export type KnowledgeChangeDeps = KnowledgeDeps & { invalidations: Pick<InvalidationBus, 'publish'> };

/** The pairs a Q&A source stores as JSON. */
function parsePairs(content: string): KnowledgePair[] {
  return JSON.parse(content) as KnowledgePair[];
}

/**
 * The API's view of a source: what it was made from (text, pairs, address or file) and how ingestion went.
 * A list's summary has no content: its view leaves out a text source's text and a Q&A source's pairs.
 */
export function toKnowledgeSourceView(row: KnowledgeSourceRow | KnowledgeSourceSummary): KnowledgeSource {
  const content = 'content' in row ? row.content : undefined;
  return {
    id: row.id,
    chatbotId: row.chatbot_id,
    kind: row.kind,
    title: row.title,
    ...(row.kind === 'text' && content !== undefined ? { content } : {}),
    ...(row.kind === 'qa' && content !== undefined ? { pairs: parsePairs(content) } : {}),
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
  const stored_bytes = Buffer.byteLength(row.content);
  await checkKnowledgeQuotas(deps, chatbot.workspace_id, { addingBytes: stored_bytes });
  await insertKnowledgeSource(deps.db, { ...row, stored_bytes });
  deps.ingestion.notify();
  return { ...emptyImportFields, ...row, stored_bytes };
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
    stored_bytes: upload.bytes.byteLength,
  };
  await checkKnowledgeQuotas(deps, chatbot.workspace_id, { addingBytes: row.stored_bytes });
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
  stored_bytes: 0,
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

/** A chatbot's sources, newest first, without their content. */
export async function listKnowledgeSourceViews(
  deps: { db: Kysely<Database> },
  chatbotId: string,
  options: PageOptions,
): Promise<Page<KnowledgeSource>> {
  const page = await listKnowledgeSources(deps.db, chatbotId, options);
  return { items: page.items.map(toKnowledgeSourceView), nextCursor: page.nextCursor };
}

/**
 * Queues the source to be read and chunked again (a file parsed again, pages fetched again); its current
 * chunks keep answering until the new ones replace them. An ingestion already running is abandoned.
 */
export async function resyncKnowledgeSource(
  deps: KnowledgeChangeDeps,
  chatbot: ChatbotRow,
  id: string,
): Promise<KnowledgeSourceRow> {
  const chatbotId = chatbot.id;
  // Unknown first (404), then the quota: only whether the source exists is read, not its content.
  if (!(await hasKnowledgeSource(deps.db, chatbotId, id))) throw new AppError('KNOWLEDGE_SOURCE_NOT_FOUND');
  await checkKnowledgeQuotas(deps, chatbot.workspace_id, { addingBytes: 0, exceptId: id });
  const row = await requeueKnowledgeSource(deps.db, chatbotId, id, deps.clock.now().toISOString());
  if (!row) throw new AppError('KNOWLEDGE_SOURCE_NOT_FOUND');
  deps.ingestion.notify();
  // A ready source queued again leaves the chatbot's ready knowledge until it is read anew.
  await deps.invalidations.publish('knowledge', chatbotId);
  return row;
}

/**
 * Deletes a source: it stops answering at once (and any ingestion of it is abandoned), then its chunks go
 * in batches that let other requests run, then the source itself. KNOWLEDGE_SOURCE_NOT_FOUND when none.
 */
export async function removeKnowledgeSource(
  deps: KnowledgeChangeDeps,
  chatbotId: string,
  id: string,
): Promise<void> {
  const isRetired = await retireKnowledgeSource(deps.db, chatbotId, id, deps.clock.now().toISOString());
  if (!isRetired) throw new AppError('KNOWLEDGE_SOURCE_NOT_FOUND');
  await deleteKnowledgeChunkBatches(deps.db, id);
  await deleteKnowledgeSource(deps.db, chatbotId, id);
  await deps.invalidations.publish('knowledge', chatbotId);
}
