import { randomUUID } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { type ExpressionBuilder, type Kysely, sql } from 'kysely';
import type { DatabaseDialect } from './connect.ts';
import type { Database, KnowledgeChunkTable, KnowledgeSourceRow, KnowledgeSourceTable } from './database.ts';
import { fetchPage, type Page, type PageOptions } from './page.ts';

type NewKnowledgeSource = Omit<
  KnowledgeSourceTable,
  | 'attempts'
  | 'lease_until'
  | 'lease_token'
  | 'chunk_set'
  | 'url'
  | 'crawl'
  | 'file_name'
  | 'media_type'
  | 'byte_size'
  | 'stored_bytes'
> &
  Partial<
    Pick<KnowledgeSourceRow, 'url' | 'crawl' | 'file_name' | 'media_type' | 'byte_size' | 'stored_bytes'>
  >;

/** A chunk as written: the chunk set it belongs to is given apart. */
export type NewKnowledgeChunk = Omit<KnowledgeChunkTable, 'chunk_set'>;

/** Chunks written or deleted per statement batch: a few hundred, so that requests run in between. */
export const CHUNK_BATCH = 250;

/** Inserts a source (queued), and for an upload its file's bytes, in one transaction. */
export async function insertKnowledgeSource(
  db: Kysely<Database>,
  row: NewKnowledgeSource,
  file?: Uint8Array,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('knowledge_sources').values(row).execute();
    if (file) await trx.insertInto('knowledge_files').values({ source_id: row.id, data: file }).execute();
  });
}

/** An uploaded source's bytes. */
export async function findKnowledgeFile(
  db: Kysely<Database>,
  sourceId: string,
): Promise<Uint8Array | undefined> {
  const row = await db
    .selectFrom('knowledge_files')
    .select('data')
    .where('source_id', '=', sourceId)
    .executeTakeFirst();
  return row?.data;
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

/** Whether the chatbot has the source, read without its content. */
export async function hasKnowledgeSource(
  db: Kysely<Database>,
  chatbotId: string,
  id: string,
): Promise<boolean> {
  const row = await db
    .selectFrom('knowledge_sources')
    .select('id')
    .where('id', '=', id)
    .where('chatbot_id', '=', chatbotId)
    .executeTakeFirst();
  return row !== undefined;
}

export async function findKnowledgeSourceById(
  db: Kysely<Database>,
  id: string,
): Promise<KnowledgeSourceRow | undefined> {
  return db.selectFrom('knowledge_sources').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A source as lists show it: every column but its content (its text, its pairs, the text extracted). */
export type KnowledgeSourceSummary = Omit<KnowledgeSourceRow, 'content'>;

const SUMMARY_COLUMNS = [
  'id',
  'workspace_id',
  'chatbot_id',
  'kind',
  'title',
  'status',
  'error',
  'chunk_count',
  'url',
  'crawl',
  'file_name',
  'media_type',
  'byte_size',
  'lease_until',
  'lease_token',
  'chunk_set',
  'attempts',
  'stored_bytes',
  'created_at',
  'updated_at',
] as const;

/** A chatbot's sources without their content, which can be megabytes each: the single read gives it. */
export async function listKnowledgeSources(
  db: Kysely<Database>,
  chatbotId: string,
  options: PageOptions,
): Promise<Page<KnowledgeSourceSummary>> {
  return fetchPage(
    db.selectFrom('knowledge_sources').select(SUMMARY_COLUMNS).where('chatbot_id', '=', chatbotId),
    options,
  );
}

/**
 * Takes a source out of use before it is deleted: its chunks stop answering at once (its chunk set no
 * longer matches them), any claim on it ends, and no instance claims it again. False when there is none.
 */
export async function retireKnowledgeSource(
  db: Kysely<Database>,
  chatbotId: string,
  id: string,
  updated_at: string,
): Promise<boolean> {
  const result = await db
    .updateTable('knowledge_sources')
    .set({
      chunk_set: randomUUID(),
      status: 'failed',
      error: 'the source is being deleted',
      lease_token: null,
      lease_until: null,
      updated_at,
    })
    .where('id', '=', id)
    .where('chatbot_id', '=', chatbotId)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/**
 * Deletes a source's chunks other than those of `keepSet` (every chunk when undefined), a batch per
 * statement with a turn of the event loop between batches, so that a source of a hundred thousand chunks
 * never holds the database (or, on SQLite, the server) for long.
 */
export async function deleteKnowledgeChunkBatches(
  db: Kysely<Database>,
  sourceId: string,
  options: { keepSet?: string; onlySet?: string } = {},
): Promise<void> {
  for (;;) {
    let batch = db
      .selectFrom('knowledge_chunks')
      .select('id')
      .where('source_id', '=', sourceId)
      .limit(CHUNK_BATCH);
    if (options.keepSet !== undefined) {
      const keep = options.keepSet;
      batch = batch.where((eb) => eb.or([eb('chunk_set', '!=', keep), eb('chunk_set', 'is', null)]));
    }
    if (options.onlySet !== undefined) batch = batch.where('chunk_set', '=', options.onlySet);
    const ids = (await batch.execute()).map((row) => row.id);
    if (ids.length === 0) return;
    await db.deleteFrom('knowledge_chunks').where('id', 'in', ids).execute();
    if (ids.length < CHUNK_BATCH) return;
    await nextTurn();
  }
}

/** Deletes the source row (and its file); its chunks go first, in batches (deleteKnowledgeChunkBatches). */
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

/** Per workspace: sources queued or being ingested, and the bytes its sources store (quotas). */
export async function countPendingKnowledgeSources(
  db: Kysely<Database>,
  workspaceId: string,
  exceptId?: string,
): Promise<number> {
  let query = db
    .selectFrom('knowledge_sources')
    .select((eb) => eb.fn.countAll<string | number>().as('count'))
    .where('workspace_id', '=', workspaceId)
    .where('status', 'in', ['queued', 'processing']);
  if (exceptId) query = query.where('id', '!=', exceptId);
  return Number((await query.executeTakeFirst())?.count ?? 0);
}

export async function sumKnowledgeBytes(
  db: Kysely<Database>,
  workspaceId: string,
  exceptId?: string,
): Promise<number> {
  let query = db
    .selectFrom('knowledge_sources')
    .select((eb) => eb.fn.sum<string | number | null>('stored_bytes').as('bytes'))
    .where('workspace_id', '=', workspaceId);
  if (exceptId) query = query.where('id', '!=', exceptId);
  return Number((await query.executeTakeFirst())?.bytes ?? 0);
}

/** Puts the source back in the queue, ending any claim on it: an ingestion still running will not publish. */
export async function requeueKnowledgeSource(
  db: Kysely<Database>,
  chatbotId: string,
  id: string,
  updated_at: string,
): Promise<KnowledgeSourceRow | undefined> {
  return db
    .updateTable('knowledge_sources')
    .set({ status: 'queued', error: null, lease_token: null, lease_until: null, attempts: 0, updated_at })
    .where('id', '=', id)
    .where('chatbot_id', '=', chatbotId)
    .returningAll()
    .executeTakeFirst();
}

/**
 * Claims a source waiting for ingestion (queued, or processing under a lease that ran out because its
 * instance stopped) for `token` until `leaseUntil`: the oldest of the workspace whose turn came longest ago,
 * so that one workspace's many (or huge) sources never keep another's waiting behind them all. One
 * conditional update: of instances racing for the same source, exactly one gets it; the winner then moves
 * its workspace to the back of the line.
 */
export async function claimKnowledgeSource(
  db: Kysely<Database>,
  claim: { token: string; now: string; leaseUntil: string },
): Promise<KnowledgeSourceRow | undefined> {
  const claimable = (eb: ExpressionBuilder<Database, 'knowledge_sources'>) =>
    eb.or([
      eb('status', '=', 'queued'),
      eb.and([eb('status', '=', 'processing'), eb('lease_until', '<', claim.now)]),
    ]);
  const next = await db
    .selectFrom('knowledge_sources')
    .leftJoin(
      'knowledge_ingestion_turns',
      'knowledge_ingestion_turns.workspace_id',
      'knowledge_sources.workspace_id',
    )
    .select('knowledge_sources.id')
    .where((eb) =>
      eb.or([
        eb('knowledge_sources.status', '=', 'queued'),
        eb.and([
          eb('knowledge_sources.status', '=', 'processing'),
          eb('knowledge_sources.lease_until', '<', claim.now),
        ]),
      ]),
    )
    .orderBy(sql`coalesce(knowledge_ingestion_turns.turn, 0)`)
    .orderBy('knowledge_sources.updated_at')
    .orderBy('knowledge_sources.id')
    .limit(1)
    .executeTakeFirst();
  if (!next) return undefined;
  const claimed = await db
    .updateTable('knowledge_sources')
    .set((eb) => ({
      status: 'processing',
      lease_token: claim.token,
      lease_until: claim.leaseUntil,
      attempts: eb('attempts', '+', 1),
    }))
    .where('id', '=', next.id)
    .where(claimable)
    .returningAll()
    .executeTakeFirst();
  if (claimed) {
    await sql`insert into knowledge_ingestion_turns (workspace_id, turn)
      values (${claimed.workspace_id}, (select coalesce(max(turn), 0) + 1 from knowledge_ingestion_turns))
      on conflict (workspace_id) do update set turn = excluded.turn`.execute(db);
  }
  return claimed;
}

/** Extends a claim; false when the claim is gone (the source was re-synced, deleted or taken over). */
export async function extendKnowledgeLease(
  db: Kysely<Database>,
  id: string,
  token: string,
  leaseUntil: string,
): Promise<boolean> {
  const result = await db
    .updateTable('knowledge_sources')
    .set({ lease_until: leaseUntil })
    .where('id', '=', id)
    .where('lease_token', '=', token)
    .where('status', '=', 'processing')
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Ends a claim with the given outcome; false (nothing written) when the claim is no longer held. */
export async function settleKnowledgeSource(
  db: Kysely<Database>,
  id: string,
  token: string,
  fields: Partial<
    Pick<
      KnowledgeSourceRow,
      | 'status'
      | 'error'
      | 'chunk_count'
      | 'content'
      | 'title'
      | 'attempts'
      | 'updated_at'
      | 'chunk_set'
      | 'stored_bytes'
    >
  >,
): Promise<boolean> {
  const result = await db
    .updateTable('knowledge_sources')
    .set({ ...fields, lease_token: null, lease_until: null })
    .where('id', '=', id)
    .where('lease_token', '=', token)
    .where('status', '=', 'processing')
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Writes chunks of a new chunk set, which answer nothing until the set is published (settleKnowledgeSource). */
export async function insertKnowledgeChunks(
  db: Kysely<Database>,
  chunkSet: string,
  chunks: NewKnowledgeChunk[],
): Promise<void> {
  // Statements stay under SQLite's bound-parameter limit.
  for (let start = 0; start < chunks.length; start += 100) {
    await db
      .insertInto('knowledge_chunks')
      .values(chunks.slice(start, start + 100).map((chunk) => ({ ...chunk, chunk_set: chunkSet })))
      .execute();
  }
}

/**
 * Replaces a source's chunks at once (a few, in a test or a small source), marking the source with a new
 * chunk set so that caches of its chunks on every instance see the change.
 */
export async function replaceKnowledgeChunks(
  db: Kysely<Database>,
  sourceId: string,
  chunks: NewKnowledgeChunk[],
): Promise<void> {
  const chunkSet = randomUUID();
  await db.updateTable('knowledge_sources').set({ chunk_set: chunkSet }).where('id', '=', sourceId).execute();
  await db.deleteFrom('knowledge_chunks').where('source_id', '=', sourceId).execute();
  await insertKnowledgeChunks(db, chunkSet, chunks);
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
  /** For a chunk of an imported web page: its address and title. */
  url: string | null;
  pageTitle: string | null;
};

const MATCH_COLUMNS = sql.raw(
  `c.id as "chunkId", c.source_id as "sourceId", s.kind as kind, s.title as title, c.heading as heading, ` +
    `c.content as content, c.url as url, c.page_title as "pageTitle"`,
);

/** The given chunks of one chatbot's ready sources, in the order of `chunkIds`. */
export async function findKnowledgeMatches(
  db: Kysely<Database>,
  chatbotId: string,
  chunkIds: string[],
): Promise<KnowledgeMatch[]> {
  if (chunkIds.length === 0) return [];
  // Looked up by id alone (a condition on the chatbot would lead SQLite to read all of its chunks); the
  // chatbot is checked on the few rows found.
  const { rows } = await sql<KnowledgeMatch & { chatbotId: string }>`
    select ${MATCH_COLUMNS}, c.chatbot_id as "chatbotId"
    from knowledge_chunks c
    join knowledge_sources s on s.id = c.source_id and s.chunk_set = c.chunk_set
    where c.id in (${sql.join(chunkIds)})`.execute(db);
  const byId = new Map(
    rows
      .filter((row) => row.chatbotId === chatbotId)
      .map(({ chatbotId: _, ...match }) => [match.chunkId, match]),
  );
  return chunkIds.flatMap((id) => byId.get(id) ?? []);
}

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
    // The chatbot is matched inside the index, so only its rows are ranked; the join checks it again.
    // CROSS JOIN keeps SQLite's join order: the few ranked rows first, each looked up by rowid (left to
    // itself, the planner may start from every chunk of the chatbot).
    const quote = (text: string) => `"${text.replaceAll('"', '""')}"`;
    const match = `chatbot_id : ${quote(chatbotId)} AND (${terms.map(quote).join(' OR ')})`;
    const { rows } = await sql<KnowledgeMatch>`
      select ${MATCH_COLUMNS}
      from (
        select rowid as chunk_rowid, bm25(knowledge_chunks_fts, 0.0, 2.0, 1.0) as score
        from knowledge_chunks_fts
        where knowledge_chunks_fts match ${match}
        order by score
        limit ${limit}
      ) f
      cross join knowledge_chunks c on c.rowid = f.chunk_rowid
      cross join knowledge_sources s on s.id = c.source_id
      where c.chatbot_id = ${chatbotId} and c.chunk_set = s.chunk_set
      order by f.score, c.id`.execute(db);
    return rows;
  }
  const query = terms.join(' | ');
  const { rows } = await sql<KnowledgeMatch>`
    select ${MATCH_COLUMNS}
    from knowledge_chunks c
    join knowledge_sources s on s.id = c.source_id and s.chunk_set = c.chunk_set,
         to_tsquery('english', ${query}) q
    where c.chatbot_id = ${chatbotId} and c.search @@ q
    order by ts_rank(c.search, q) desc, c.id
    limit ${limit}`.execute(db);
  return rows;
}

/**
 * What identifies the current chunks of a chatbot: its sources and their chunk sets. Any replacement or
 * deletion of chunks, by any instance, changes it; reading it touches one row per source, not per chunk.
 */
export async function readKnowledgeChunkSets(db: Kysely<Database>, chatbotId: string): Promise<string> {
  const rows = await db
    .selectFrom('knowledge_sources')
    .select(['id', 'chunk_set'])
    .where('chatbot_id', '=', chatbotId)
    .orderBy('id')
    .execute();
  return rows.map((row) => `${row.id}:${row.chunk_set ?? ''}`).join(',');
}

/** The chatbot's chunk embeddings of one model, oldest chunk first. */
export async function listChunkEmbeddings(
  db: Kysely<Database>,
  chatbotId: string,
  modelId: string,
): Promise<{ id: string; embedding: Uint8Array | null }[]> {
  // Only the chunks of each source's current chunk set (a re-sync writes its new set beside the old).
  return db
    .selectFrom('knowledge_chunks')
    .innerJoin('knowledge_sources', (join) =>
      join
        .onRef('knowledge_sources.id', '=', 'knowledge_chunks.source_id')
        .onRef('knowledge_sources.chunk_set', '=', 'knowledge_chunks.chunk_set'),
    )
    .select(['knowledge_chunks.id as id', 'knowledge_chunks.embedding as embedding'])
    .where('knowledge_chunks.chatbot_id', '=', chatbotId)
    .where('knowledge_chunks.embedding_model', '=', modelId)
    .orderBy('knowledge_chunks.id')
    .execute();
}
