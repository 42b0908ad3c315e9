import type { Kysely } from 'kysely';
import type { Database, PublishableKeyRow } from './database.ts';
import { fetchPage, type Page, type PageOptions } from './page.ts';

export async function insertPublishableKey(db: Kysely<Database>, row: PublishableKeyRow): Promise<void> {
  await db.insertInto('publishable_keys').values(row).execute();
}

/** How many keys of the chatbot are live (not revoked). */
export async function countLivePublishableKeys(db: Kysely<Database>, chatbotId: string): Promise<number> {
  const row = await db
    .selectFrom('publishable_keys')
    .select((eb) => eb.fn.countAll<number | string>().as('count'))
    .where('chatbot_id', '=', chatbotId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(row?.count ?? 0);
}

export function listPublishableKeys(
  db: Kysely<Database>,
  chatbotId: string,
  options: PageOptions,
): Promise<Page<PublishableKeyRow>> {
  return fetchPage(
    db.selectFrom('publishable_keys').selectAll().where('chatbot_id', '=', chatbotId),
    options,
  );
}

/** A key of the chatbot, revoked or not. */
export function findPublishableKey(
  db: Kysely<Database>,
  chatbotId: string,
  id: string,
): Promise<PublishableKeyRow | undefined> {
  return db
    .selectFrom('publishable_keys')
    .selectAll()
    .where('id', '=', id)
    .where('chatbot_id', '=', chatbotId)
    .executeTakeFirst();
}

/** A live (not revoked) key by the key itself, as a page presents it. */
export function findLivePublishableKeyByKey(
  db: Kysely<Database>,
  key: string,
): Promise<PublishableKeyRow | undefined> {
  return db
    .selectFrom('publishable_keys')
    .selectAll()
    .where('key', '=', key)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
}

/** Replaces a live key's origins; answers false when there is no such live key. */
export async function updatePublishableKeyOrigins(
  db: Kysely<Database>,
  chatbotId: string,
  id: string,
  allowedOrigins: string,
): Promise<boolean> {
  const result = await db
    .updateTable('publishable_keys')
    .set({ allowed_origins: allowedOrigins })
    .where('id', '=', id)
    .where('chatbot_id', '=', chatbotId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Revokes a live key of the chatbot and ends its visitors' sessions; answers false when there is none. */
export async function revokePublishableKey(
  db: Kysely<Database>,
  chatbotId: string,
  id: string,
  revokedAt: string,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const result = await trx
      .updateTable('publishable_keys')
      .set({ revoked_at: revokedAt })
      .where('id', '=', id)
      .where('chatbot_id', '=', chatbotId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) return false;
    await trx.deleteFrom('visitor_sessions').where('publishable_key_id', '=', id).execute();
    return true;
  });
}
