import type { Kysely } from 'kysely';

// Frozen once landed: typed against Kysely<any>, portable between SQLite and PostgreSQL.
// The website widget: a chatbot's publishable keys (public by design: they are in every page's HTML, so they
// are stored as they are and looked up by a unique index), its widget settings and identity secret, the
// widget's visitors and their short-lived sessions (only hashes of their tokens), and on conversations and
// messages: which door a conversation came through, whose visitor it is, and a visitor's thumbs up or down.

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the app's current types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('publishable_keys')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('workspace_id', 'text', (column) =>
      column.notNull().references('workspaces.id').onDelete('cascade'),
    )
    .addColumn('chatbot_id', 'text', (column) =>
      column.notNull().references('chatbots.id').onDelete('cascade'),
    )
    .addColumn('name', 'text')
    .addColumn('key', 'text', (column) => column.notNull().unique())
    .addColumn('allowed_origins', 'text', (column) => column.notNull())
    .addColumn('created_at', 'text', (column) => column.notNull())
    .addColumn('revoked_at', 'text')
    .addColumn('created_by', 'text')
    .execute();
  await db.schema
    .createIndex('publishable_keys_chatbot_idx')
    .on('publishable_keys')
    .columns(['chatbot_id', 'id'])
    .execute();

  await db.schema
    .createTable('chatbot_widgets')
    .addColumn('chatbot_id', 'text', (column) =>
      column.primaryKey().references('chatbots.id').onDelete('cascade'),
    )
    .addColumn('settings', 'text', (column) => column.notNull())
    .addColumn('identity_secret', 'text')
    .addColumn('identity_secret_created_at', 'text')
    .addColumn('updated_at', 'text', (column) => column.notNull())
    .execute();

  await db.schema
    .createTable('widget_visitors')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('workspace_id', 'text', (column) =>
      column.notNull().references('workspaces.id').onDelete('cascade'),
    )
    .addColumn('chatbot_id', 'text', (column) =>
      column.notNull().references('chatbots.id').onDelete('cascade'),
    )
    .addColumn('token_hash', 'text', (column) => column.notNull().unique())
    .addColumn('external_user_id', 'text')
    .addColumn('name', 'text')
    .addColumn('email', 'text')
    .addColumn('created_at', 'text', (column) => column.notNull())
    .addColumn('last_seen_at', 'text', (column) => column.notNull())
    .execute();
  // A verified visitor is one visitor of the chatbot, whatever the device (several nulls never collide).
  await db.schema
    .createIndex('widget_visitors_external_idx')
    .on('widget_visitors')
    .columns(['chatbot_id', 'external_user_id'])
    .unique()
    .execute();

  await db.schema
    .createTable('visitor_sessions')
    .addColumn('token_hash', 'text', (column) => column.primaryKey())
    .addColumn('visitor_id', 'text', (column) =>
      column.notNull().references('widget_visitors.id').onDelete('cascade'),
    )
    .addColumn('chatbot_id', 'text', (column) =>
      column.notNull().references('chatbots.id').onDelete('cascade'),
    )
    .addColumn('workspace_id', 'text', (column) => column.notNull())
    .addColumn('publishable_key_id', 'text', (column) =>
      column.notNull().references('publishable_keys.id').onDelete('cascade'),
    )
    .addColumn('origin', 'text', (column) => column.notNull())
    .addColumn('expires_at', 'text', (column) => column.notNull())
    .addColumn('created_at', 'text', (column) => column.notNull())
    .execute();
  await db.schema
    .createIndex('visitor_sessions_expiry_idx')
    .on('visitor_sessions')
    .column('expires_at')
    .execute();

  await db.schema
    .alterTable('conversations')
    .addColumn('channel', 'text', (column) => column.notNull().defaultTo('api'))
    .execute();
  await db.schema.alterTable('conversations').addColumn('visitor_id', 'text').execute();
  await db.schema
    .createIndex('conversations_visitor_idx')
    .on('conversations')
    .columns(['chatbot_id', 'visitor_id', 'id'])
    .execute();
  await db.schema.alterTable('messages').addColumn('feedback', 'text').execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the app's current types
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('messages').dropColumn('feedback').execute();
  await db.schema.dropIndex('conversations_visitor_idx').execute();
  await db.schema.alterTable('conversations').dropColumn('visitor_id').execute();
  await db.schema.alterTable('conversations').dropColumn('channel').execute();
  await db.schema.dropTable('visitor_sessions').execute();
  await db.schema.dropTable('widget_visitors').execute();
  await db.schema.dropTable('chatbot_widgets').execute();
  await db.schema.dropTable('publishable_keys').execute();
}
