import { type Kysely, SqliteAdapter, sql } from 'kysely';

// Frozen once landed: typed against Kysely<any>, portable between SQLite and PostgreSQL.
// Knowledge: the content a chatbot answers from (sources), cut into searchable chunks.

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the app's current types
export async function up(db: Kysely<any>): Promise<void> {
  const isSqlite = db.getExecutor().adapter instanceof SqliteAdapter;

  await db.schema
    .createTable('knowledge_sources')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('workspace_id', 'text', (column) =>
      column.notNull().references('workspaces.id').onDelete('cascade'),
    )
    .addColumn('chatbot_id', 'text', (column) =>
      column.notNull().references('chatbots.id').onDelete('cascade'),
    )
    .addColumn('kind', 'text', (column) => column.notNull())
    .addColumn('title', 'text', (column) => column.notNull())
    .addColumn('content', 'text', (column) => column.notNull())
    .addColumn('status', 'text', (column) => column.notNull())
    .addColumn('error', 'text')
    .addColumn('chunk_count', 'integer', (column) => column.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (column) => column.notNull())
    .addColumn('updated_at', 'text', (column) => column.notNull())
    .execute();
  await db.schema
    .createIndex('knowledge_sources_chatbot_idx')
    .on('knowledge_sources')
    .columns(['chatbot_id', 'id'])
    .execute();
  await db.schema
    .createIndex('knowledge_sources_status_idx')
    .on('knowledge_sources')
    .column('status')
    .execute();

  await db.schema
    .createTable('knowledge_chunks')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('source_id', 'text', (column) =>
      column.notNull().references('knowledge_sources.id').onDelete('cascade'),
    )
    .addColumn('chatbot_id', 'text', (column) =>
      column.notNull().references('chatbots.id').onDelete('cascade'),
    )
    .addColumn('workspace_id', 'text', (column) =>
      column.notNull().references('workspaces.id').onDelete('cascade'),
    )
    .addColumn('position', 'integer', (column) => column.notNull())
    .addColumn('heading', 'text')
    .addColumn('content', 'text', (column) => column.notNull())
    .addColumn('created_at', 'text', (column) => column.notNull())
    .execute();
  await db.schema
    .createIndex('knowledge_chunks_source_idx')
    .on('knowledge_chunks')
    .columns(['source_id', 'position'])
    .execute();
  await db.schema
    .createIndex('knowledge_chunks_chatbot_idx')
    .on('knowledge_chunks')
    .column('chatbot_id')
    .execute();

  if (isSqlite) {
    // An external-content FTS5 index over the chunks' rowids, kept in step by triggers (cascades fire them too).
    await sql`create virtual table knowledge_chunks_fts using fts5(
      heading, content, content='knowledge_chunks', content_rowid='rowid', tokenize='porter unicode61'
    )`.execute(db);
    await sql`create trigger knowledge_chunks_fts_insert after insert on knowledge_chunks begin
      insert into knowledge_chunks_fts(rowid, heading, content) values (new.rowid, new.heading, new.content);
    end`.execute(db);
    await sql`create trigger knowledge_chunks_fts_delete after delete on knowledge_chunks begin
      insert into knowledge_chunks_fts(knowledge_chunks_fts, rowid, heading, content)
        values ('delete', old.rowid, old.heading, old.content);
    end`.execute(db);
    await sql`create trigger knowledge_chunks_fts_update after update on knowledge_chunks begin
      insert into knowledge_chunks_fts(knowledge_chunks_fts, rowid, heading, content)
        values ('delete', old.rowid, old.heading, old.content);
      insert into knowledge_chunks_fts(rowid, heading, content) values (new.rowid, new.heading, new.content);
    end`.execute(db);
  } else {
    await sql`alter table knowledge_chunks add column search tsvector generated always as (
      setweight(to_tsvector('english', coalesce(heading, '')), 'A') || setweight(to_tsvector('english', content), 'B')
    ) stored`.execute(db);
    await sql`create index knowledge_chunks_search_idx on knowledge_chunks using gin (search)`.execute(db);
  }
}

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the app's current types
export async function down(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof SqliteAdapter) {
    await sql`drop table if exists knowledge_chunks_fts`.execute(db);
  }
  await db.schema.dropTable('knowledge_chunks').execute();
  await db.schema.dropTable('knowledge_sources').execute();
}
