import { type Kysely, sql } from 'kysely';

// Frozen once landed: typed against Kysely<any>, portable between SQLite and PostgreSQL.
// People who sign in to the dashboard, their workspaces and sessions; the inbox's and usage page's indexes.

/** The longest metadata.userId copied to messages.user_id: an identifier, and short enough for any index. */
const MAX_USER_ID_LENGTH = 200;

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the app's current types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (column) => column.primaryKey())
    // Stored lower-cased, so the unique constraint is case-insensitive.
    .addColumn('email', 'text', (column) => column.notNull().unique())
    .addColumn('name', 'text', (column) => column.notNull())
    .addColumn('password_hash', 'text', (column) => column.notNull())
    .addColumn('created_at', 'text', (column) => column.notNull())
    .execute();

  await db.schema
    .createTable('memberships')
    .addColumn('workspace_id', 'text', (column) =>
      column.notNull().references('workspaces.id').onDelete('cascade'),
    )
    .addColumn('user_id', 'text', (column) => column.notNull().references('users.id').onDelete('cascade'))
    .addColumn('role', 'text', (column) => column.notNull())
    .addColumn('created_at', 'text', (column) => column.notNull())
    .addPrimaryKeyConstraint('memberships_pkey', ['workspace_id', 'user_id'])
    .execute();
  await db.schema.createIndex('memberships_user_idx').on('memberships').column('user_id').execute();
  // One owner per workspace, whatever races: two first-time setups cannot both make an owner of one workspace.
  await db.schema
    .createIndex('memberships_one_owner_idx')
    .on('memberships')
    .column('workspace_id')
    .unique()
    .where(sql.ref('role'), '=', 'owner')
    .execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('token_hash', 'text', (column) => column.notNull().unique())
    .addColumn('user_id', 'text', (column) => column.notNull().references('users.id').onDelete('cascade'))
    .addColumn('workspace_id', 'text', (column) =>
      column.notNull().references('workspaces.id').onDelete('cascade'),
    )
    .addColumn('csrf_token', 'text', (column) => column.notNull())
    .addColumn('created_at', 'text', (column) => column.notNull())
    .addColumn('expires_at', 'text', (column) => column.notNull())
    .execute();
  await db.schema
    .createIndex('sessions_user_idx')
    .on('sessions')
    .columns(['user_id', 'workspace_id'])
    .execute();
  await db.schema.createIndex('sessions_expiry_idx').on('sessions').column('expires_at').execute();

  await db.schema
    .createTable('invitations')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('workspace_id', 'text', (column) =>
      column.notNull().references('workspaces.id').onDelete('cascade'),
    )
    .addColumn('email', 'text', (column) => column.notNull())
    .addColumn('role', 'text', (column) => column.notNull())
    .addColumn('token_hash', 'text', (column) => column.notNull().unique())
    .addColumn('invited_by', 'text', (column) => column.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (column) => column.notNull())
    .addColumn('expires_at', 'text', (column) => column.notNull())
    .addColumn('accepted_at', 'text')
    .execute();

  // The inbox: a workspace's conversations by latest activity.
  await db.schema
    .createIndex('conversations_activity_idx')
    .on('conversations')
    .columns(['workspace_id', 'updated_at', 'id'])
    .execute();

  // metadata.userId, copied out of the JSON so the inbox can filter on it with an index on both dialects.
  await db.schema.alterTable('messages').addColumn('user_id', 'text').execute();
  await db.schema
    .createIndex('messages_user_idx')
    .on('messages')
    .columns(['workspace_id', 'user_id'])
    .execute();
  // The usage page: a workspace's messages by day.
  await db.schema
    .createIndex('messages_workspace_created_idx')
    .on('messages')
    .columns(['workspace_id', 'created_at'])
    .execute();
  await backfillMessageUserIds(db);
}

/** Copies metadata.userId of the messages stored before this migration, a batch at a time, in either dialect. */
// biome-ignore lint/suspicious/noExplicitAny: see up()
async function backfillMessageUserIds(db: Kysely<any>): Promise<void> {
  let after = '';
  for (;;) {
    const rows: { id: string; metadata: string }[] = await db
      .selectFrom('messages')
      .select(['id', 'metadata'])
      .where('id', '>', after)
      .where('metadata', 'like', '%"userId"%')
      .orderBy('id')
      .limit(500)
      .execute();
    for (const row of rows) {
      const userId = readUserId(row.metadata);
      if (userId !== undefined)
        await db.updateTable('messages').set({ user_id: userId }).where('id', '=', row.id).execute();
    }
    const last = rows.at(-1);
    if (!last || rows.length < 500) return;
    after = last.id;
  }
}

function readUserId(metadata: string): string | undefined {
  try {
    const value = (JSON.parse(metadata) as { userId?: unknown }).userId;
    return typeof value === 'string' && value.length > 0 && value.length <= MAX_USER_ID_LENGTH
      ? value
      : undefined;
  } catch {
    return undefined;
  }
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('messages_workspace_created_idx').ifExists().execute();
  await db.schema.dropIndex('messages_user_idx').ifExists().execute();
  await db.schema.alterTable('messages').dropColumn('user_id').execute();
  await db.schema.dropIndex('conversations_activity_idx').ifExists().execute();
  for (const table of ['invitations', 'sessions', 'memberships', 'users']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
