import type { Kysely } from 'kysely';

// Frozen once landed: typed against Kysely<any>, portable between SQLite and PostgreSQL.
// First-run setup that needs the operator's secret, who made each key and invitation, and a cap on the
// password guesses an invitation allows.

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the app's current types
export async function up(db: Kysely<any>): Promise<void> {
  // Where a workspace came from: setup may join the demo workspace, never one the operator API created.
  await db.schema
    .alterTable('workspaces')
    .addColumn('origin', 'text', (column) => column.notNull().defaultTo('operator'))
    .execute();
  // The demo seed and setup always used these fixed ids; every other workspace came from the operator API.
  await db.updateTable('workspaces').set({ origin: 'demo' }).where('id', '=', 'demo').execute();
  await db.updateTable('workspaces').set({ origin: 'setup' }).where('id', '=', 'default').execute();

  // The person who created a key; null for keys the operator API, the demo seed or another API key made.
  await db.schema
    .alterTable('api_keys')
    .addColumn('created_by', 'text', (column) => column.references('users.id').onDelete('set null'))
    .execute();
  await db.schema.createIndex('api_keys_created_by_idx').on('api_keys').column('created_by').execute();

  await db.schema
    .alterTable('invitations')
    .addColumn('failed_attempts', 'integer', (column) => column.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('invitations_workspace_idx').on('invitations').column('workspace_id').execute();
  await db.schema.createIndex('invitations_invited_by_idx').on('invitations').column('invited_by').execute();

  // Setup tokens printed at start while no account exists: only their SHA-256, so any instance accepts
  // the token any instance printed. Deleted when setup is done.
  await db.schema
    .createTable('setup_tokens')
    .addColumn('token_hash', 'text', (column) => column.primaryKey())
    .addColumn('created_at', 'text', (column) => column.notNull())
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('setup_tokens').ifExists().execute();
  await db.schema.dropIndex('invitations_invited_by_idx').ifExists().execute();
  await db.schema.dropIndex('invitations_workspace_idx').ifExists().execute();
  await db.schema.alterTable('invitations').dropColumn('failed_attempts').execute();
  await db.schema.dropIndex('api_keys_created_by_idx').ifExists().execute();
  await db.schema.alterTable('api_keys').dropColumn('created_by').execute();
  await db.schema.alterTable('workspaces').dropColumn('origin').execute();
}
