import { type Kysely, sql } from 'kysely';

// Frozen once landed: typed against Kysely<any>, portable between SQLite and PostgreSQL.
// A reply being generated is held under a lease its instance keeps renewing; one whose lease ran out (its
// instance stopped) is ended by any instance within seconds, with its credits given back. The reply's row
// names the reservation holding its credits, so ending it finds the reservation by key. A partial index holds
// only the replies being generated, as messages_generating_idx does, so the frequent sweep reads a handful.

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the app's current types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('messages').addColumn('lease_expires_at', 'text').execute();
  await db.schema.alterTable('messages').addColumn('reservation_id', 'text').execute();
  await db.schema
    .createIndex('messages_reply_lease_idx')
    .on('messages')
    .column('lease_expires_at')
    .where(sql.ref('status'), '=', 'generating')
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the app's current types
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('messages_reply_lease_idx').execute();
  await db.schema.alterTable('messages').dropColumn('reservation_id').execute();
  await db.schema.alterTable('messages').dropColumn('lease_expires_at').execute();
}
