import { type Kysely, sql } from 'kysely';

// Frozen once landed: typed against Kysely<any>, portable between SQLite and PostgreSQL.
// Knowledge that one workspace cannot use to stall the others:
// - each chunk names the chunk set it belongs to, so a source's new chunks are written in small batches
//   beside the current ones and published at once by switching the source's set (then the old set is
//   deleted in batches);
// - each source records the bytes it stores, summed for the workspace's storage quota;
// - each workspace's turn at the ingestion queue, which is served round-robin by workspace.

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the app's current types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('knowledge_chunks').addColumn('chunk_set', 'text').execute();
  await db.schema
    .alterTable('knowledge_sources')
    .addColumn('stored_bytes', 'integer', (column) => column.notNull().defaultTo(0))
    .execute();

  // Every source gets a chunk set, and its chunks the same one.
  await sql`update knowledge_sources set chunk_set = id where chunk_set is null`.execute(db);
  await sql`update knowledge_chunks set chunk_set =
    (select s.chunk_set from knowledge_sources s where s.id = knowledge_chunks.source_id)`.execute(db);
  // What each source stores today: its file and its text (characters, close to bytes for most text).
  await sql`update knowledge_sources set stored_bytes = coalesce(byte_size, 0) + length(content)`.execute(db);

  await db.schema
    .createIndex('knowledge_chunks_source_set_idx')
    .on('knowledge_chunks')
    .columns(['source_id', 'chunk_set'])
    .execute();
  await db.schema
    .createIndex('knowledge_sources_workspace_idx')
    .on('knowledge_sources')
    .columns(['workspace_id', 'status'])
    .execute();

  await db.schema
    .createTable('knowledge_ingestion_turns')
    .addColumn('workspace_id', 'text', (column) =>
      column.primaryKey().references('workspaces.id').onDelete('cascade'),
    )
    .addColumn('turn', 'integer', (column) => column.notNull())
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the app's current types
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('knowledge_ingestion_turns').execute();
  await db.schema.dropIndex('knowledge_sources_workspace_idx').execute();
  await db.schema.dropIndex('knowledge_chunks_source_set_idx').execute();
  await db.schema.alterTable('knowledge_sources').dropColumn('stored_bytes').execute();
  await db.schema.alterTable('knowledge_chunks').dropColumn('chunk_set').execute();
}
