import { type Kysely, sql } from 'kysely';

// Frozen once landed: typed against Kysely<any>, portable between SQLite and PostgreSQL.
// The sweep that ends replies a stopped instance left `generating` read every message to find them: a full
// scan every minute, which on SQLite blocks the server for as long as it takes (a million messages, a few
// hundred milliseconds). A partial index holds only the replies being generated, a handful at any moment.

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the app's current types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('messages_generating_idx')
    .on('messages')
    .column('created_at')
    .where(sql.ref('status'), '=', 'generating')
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the app's current types
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('messages_generating_idx').execute();
}
