import { type Kysely, sql } from 'kysely';
import type { DatabaseDialect } from './connect.ts';
import type {
  Database,
  KnowledgeChunkTable,
  KnowledgeSourceRow,
  KnowledgeSourceStatus,
  KnowledgeSourceTable,
} from './database.ts';
import { fetchPage, type Page, type PageOptions } from './page.ts';

export async function insertKnowledgeSource(db: Kysely<Database>, row: KnowledgeSourceTable): Promise<void> {
  await db.insertInto('knowledge_sources').values(row).execute();
}

export async function findKnowledgeSource(
  db: Kysely<Database>,
  chatbotId: string,
  id: string,
): Promise<KnowledgeSourceRow | undefined> {
  return db
    .selectFrom('knowledge_sources')
    .selectAll()
    .where('id', '=', id)
    .where('chatbot_id', '=', chatbotId)
    .executeTakeFirst();
}

export async function findKnowledgeSourceById(
  db: Kysely<Database>,
  id: string,
): Promise<KnowledgeSourceRow | undefined> {
  return db.selectFrom('knowledge_sources').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listKnowledgeSources(
  db: Kysely<Database>,
  chatbotId: string,
  options: PageOptions,
): Promise<Page<KnowledgeSourceRow>> {
  return fetchPage(
    db.selectFrom('knowledge_sources').selectAll().where('chatbot_id', '=', chatbotId),
    options,
  );
}

/** Deletes the source; its chunks (and their search index entries) go with it. */
export async function deleteKnowledgeSource(
  db: Kysely<Database>,
  chatbotId: string,
  id: string,
): Promise<boolean> {
  const result = await db
    .deleteFrom('knowledge_sources')
    .where('id', '=', id)
    .where('chatbot_id', '=', chatbotId)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

export async function updateKnowledgeSourceStatus(
  db: Kysely<Database>,
  id: string,
  fields: { status: KnowledgeSourceStatus; error?: string | null; chunk_count?: number; updated_at: string },
): Promise<void> {
  await db.updateTable('knowledge_sources').set(fields).where('id', '=', id).execute();
}

/** Replaces a source's chunks; call inside a transaction with the status change that publishes them. */
export async function replaceKnowledgeChunks(
  db: Kysely<Database>,
  sourceId: string,
  chunks: KnowledgeChunkTable[],
): Promise<void> {
  await db.deleteFrom('knowledge_chunks').where('source_id', '=', sourceId).execute();
  // Batches stay under SQLite's bound-parameter limit.
  for (let start = 0; start < chunks.length; start += 100) {
    await db
      .insertInto('knowledge_chunks')
      .values(chunks.slice(start, start + 100))
      .execute();
  }
}

export async function countKnowledgeChunks(db: Kysely<Database>, sourceId: string): Promise<number> {
  const row = await db
    .selectFrom('knowledge_chunks')
    .select((eb) => eb.fn.countAll<string | number>().as('count'))
    .where('source_id', '=', sourceId)
    .executeTakeFirst();
  return Number(row?.count ?? 0);
}

/** Sources whose ingestion never finished (the process stopped while they waited or ran). */
export async function listUnfinishedKnowledgeSources(db: Kysely<Database>): Promise<string[]> {
  const rows = await db
    .selectFrom('knowledge_sources')
    .select('id')
    .where('status', 'in', ['queued', 'processing'])
    .orderBy('id')
    .execute();
  return rows.map((row) => row.id);
}

/** The titles of a chatbot's searchable sources, oldest first. */
export async function listReadyKnowledgeTitles(db: Kysely<Database>, chatbotId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('knowledge_sources')
    .select('title')
    .where('chatbot_id', '=', chatbotId)
    .where('status', '=', 'ready')
    .orderBy('id')
    .execute();
  return rows.map((row) => row.title);
}

/** A chunk a search found, with its source; the best match first. */
export type KnowledgeMatch = {
  chunkId: string;
  sourceId: string;
  kind: 'text' | 'qa';
  title: string;
  heading: string | null;
  content: string;
};

/**
 * Full-text search over one chatbot's chunks for any of `terms` (plain words: letters and digits only).
 * SQLite ranks with FTS5's bm25, PostgreSQL with ts_rank; both only ever read the given chatbot's rows.
 */
export async function searchKnowledgeChunks(
  db: Kysely<Database>,
  dialect: DatabaseDialect,
  chatbotId: string,
  terms: string[],
  limit: number,
): Promise<KnowledgeMatch[]> {
  if (terms.length === 0) return [];
  if (dialect === 'sqlite') {
    // Every term quoted: FTS5 reads it as a string, never as an operator (OR, NEAR, *, column filters).
    const match = terms.map((term) => `"${term.replaceAll('"', '""')}"`).join(' OR ');
    const { rows } = await sql<KnowledgeMatch>`
      select c.id as "chunkId", c.source_id as "sourceId", s.kind as kind, s.title as title,
             c.heading as heading, c.content as content
      from knowledge_chunks_fts f
      join knowledge_chunks c on c.rowid = f.rowid
      join knowledge_sources s on s.id = c.source_id
      where knowledge_chunks_fts match ${match} and c.chatbot_id = ${chatbotId}
      order by bm25(knowledge_chunks_fts, 2.0, 1.0), c.id
      limit ${limit}`.execute(db);
    return rows;
  }
  const query = terms.join(' | ');
  const { rows } = await sql<KnowledgeMatch>`
    select c.id as "chunkId", c.source_id as "sourceId", s.kind as kind, s.title as title,
           c.heading as heading, c.content as content
    from knowledge_chunks c
    join knowledge_sources s on s.id = c.source_id,
         to_tsquery('english', ${query}) q
    where c.chatbot_id = ${chatbotId} and c.search @@ q
    order by ts_rank(c.search, q) desc, c.id
    limit ${limit}`.execute(db);
  return rows;
}
