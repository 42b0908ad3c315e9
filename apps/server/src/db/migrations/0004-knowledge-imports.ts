import { type Kysely, SqliteAdapter } from 'kysely';

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
}

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the app's current types
export async function down(db: Kysely<any>): Promise<void> {
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
    'attempts',
  ]) {
    await db.schema.alterTable('knowledge_sources').dropColumn(name).execute();
  }
  await db.schema.alterTable('chatbots').dropColumn('fallback_message').execute();
}
