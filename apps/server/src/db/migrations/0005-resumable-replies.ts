import type { Kysely } from 'kysely';

// Frozen once landed: typed against Kysely<any>, portable between SQLite and PostgreSQL.
// Replies that can be replayed from the database alone (their sources and the failure that ended them), and
// the Idempotency-Key of chat requests.

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the app's current types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('messages').addColumn('sources', 'text').execute();
  await db.schema.alterTable('messages').addColumn('error_code', 'text').execute();

  // One row per (workspace, key) for 24 hours: the request's fingerprint and, once its turn has started, the
  // reply it produced. `claim_token` names the request that holds a key whose reply is not known yet.
  await db.schema
    .createTable('idempotency_keys')
    .addColumn('workspace_id', 'text', (column) =>
      column.notNull().references('workspaces.id').onDelete('cascade'),
    )
    .addColumn('key', 'text', (column) => column.notNull())
    .addColumn('request_hash', 'text', (column) => column.notNull())
    .addColumn('claim_token', 'text', (column) => column.notNull())
    .addColumn('message_id', 'text')
    .addColumn('conversation_id', 'text')
    .addColumn('created_at', 'text', (column) => column.notNull())
    .addColumn('expires_at', 'text', (column) => column.notNull())
    .addPrimaryKeyConstraint('idempotency_keys_pkey', ['workspace_id', 'key'])
    .execute();
  await db.schema
    .createIndex('idempotency_keys_expires_idx')
    .on('idempotency_keys')
    .column('expires_at')
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the app's current types
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('idempotency_keys').execute();
  await db.schema.alterTable('messages').dropColumn('error_code').execute();
  await db.schema.alterTable('messages').dropColumn('sources').execute();
}
