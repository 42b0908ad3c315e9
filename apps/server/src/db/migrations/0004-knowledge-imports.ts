import { type Kysely, SqliteAdapter, sql } from 'kysely';

// Frozen once landed: typed against Kysely<any>, portable between SQLite and PostgreSQL.
// Knowledge from files and web pages, embeddings for vector search, leased ingestion jobs shared by every
// instance, and a per-chatbot fallback message.

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the app's current types
export async function up(db: Kysely<any>): Promise<void> {
  const isSqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  const bytes = isSqlite ? 'blob' : 'bytea';

  await db.schema.alterTable('chatbots').addColumn('fallback_message', 'text').execute();

  for (const [name, type] of [
    ['url', 'text'],
    ['crawl', 'text'],
    ['file_name', 'text'],
    ['media_type', 'text'],
    ['byte_size', 'integer'],
    ['lease_until', 'text'],
    ['lease_token', 'text'],
    ['chunk_set', 'text'],
  ] as const) {
    await db.schema.alterTable('knowledge_sources').addColumn(name, type).execute();
  }
  await db.schema
    .alterTable('knowledge_sources')
    .addColumn('attempts', 'integer', (column) => column.notNull().defaultTo(0))
    .execute();

  // An uploaded file's bytes, kept apart so listing sources never reads them; re-syncing parses them again.
  await db.schema
    .createTable('knowledge_files')
    .addColumn('source_id', 'text', (column) =>
      column.primaryKey().references('knowledge_sources.id').onDelete('cascade'),
    )
    .addColumn('data', bytes, (column) => column.notNull())
    .execute();

  for (const [name, type] of [
    ['url', 'text'],
    ['page_title', 'text'],
    ['embedding', bytes],
    ['embedding_model', 'text'],
  ] as const) {
    await db.schema.alterTable('knowledge_chunks').addColumn(name, type).execute();
  }
  // Vector search reads a chatbot's embeddings of one model, and checks them for changes, through this.
  await db.schema
    .createIndex('knowledge_chunks_embedding_idx')
    .on('knowledge_chunks')
    .columns(['chatbot_id', 'embedding_model', 'id'])
    .execute();

  if (isSqlite) {
    // The full-text index gains the chunk's chatbot as a column, so a search matches that chatbot's rows
    // inside the index instead of matching every chatbot's and filtering afterwards.
    for (const trigger of ['insert', 'delete', 'update']) {
      await sql`drop trigger ${sql.id(`knowledge_chunks_fts_${trigger}`)}`.execute(db);
    }
    await sql`drop table knowledge_chunks_fts`.execute(db);
    await createChunkSearchIndex(db, ['chatbot_id', 'heading', 'content']);
  }
}

/** An external-content FTS5 index over the chunks' given columns, kept in step by triggers. */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the app's current types
async function createChunkSearchIndex(db: Kysely<any>, columns: string[]): Promise<void> {
  const names = sql.raw(columns.join(', '));
  const fresh = sql.raw(columns.map((column) => `new.${column}`).join(', '));
  const old = sql.raw(columns.map((column) => `old.${column}`).join(', '));
  await sql`create virtual table knowledge_chunks_fts using fts5(
    ${names}, content='knowledge_chunks', content_rowid='rowid', tokenize='porter unicode61'
  )`.execute(db);
  await sql`create trigger knowledge_chunks_fts_insert after insert on knowledge_chunks begin
    insert into knowledge_chunks_fts(rowid, ${names}) values (new.rowid, ${fresh});
  end`.execute(db);
  await sql`create trigger knowledge_chunks_fts_delete after delete on knowledge_chunks begin
    insert into knowledge_chunks_fts(knowledge_chunks_fts, rowid, ${names}) values ('delete', old.rowid, ${old});
  end`.execute(db);
  await sql`create trigger knowledge_chunks_fts_update after update on knowledge_chunks begin
    insert into knowledge_chunks_fts(knowledge_chunks_fts, rowid, ${names}) values ('delete', old.rowid, ${old});
    insert into knowledge_chunks_fts(rowid, ${names}) values (new.rowid, ${fresh});
  end`.execute(db);
  await sql`insert into knowledge_chunks_fts(knowledge_chunks_fts) values ('rebuild')`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the app's current types
export async function down(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof SqliteAdapter) {
    for (const trigger of ['insert', 'delete', 'update']) {
      await sql`drop trigger ${sql.id(`knowledge_chunks_fts_${trigger}`)}`.execute(db);
    }
    await sql`drop table knowledge_chunks_fts`.execute(db);
    await createChunkSearchIndex(db, ['heading', 'content']);
  }
  await db.schema.dropIndex('knowledge_chunks_embedding_idx').execute();
  for (const name of ['url', 'page_title', 'embedding', 'embedding_model']) {
    await db.schema.alterTable('knowledge_chunks').dropColumn(name).execute();
  }
  await db.schema.dropTable('knowledge_files').execute();
  for (const name of [
    'url',
    'crawl',
    'file_name',
    'media_type',
    'byte_size',
    'lease_until',
    'lease_token',
    'chunk_set',
    'attempts',
  ]) {
    await db.schema.alterTable('knowledge_sources').dropColumn(name).execute();
  }
  await db.schema.alterTable('chatbots').dropColumn('fallback_message').execute();
}
