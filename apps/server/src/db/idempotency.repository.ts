import type { Kysely } from 'kysely';
import type { Database, IdempotencyKeyRow } from './database.ts';

/**
 * Takes the key for this request: inserts it, or takes over a row whose 24 hours are over or whose holder
 * never recorded a reply (it stopped before its turn started). Answers whether this request holds it now;
 * of requests racing for one key, on any number of instances, exactly one does.
 */
export async function tryClaimIdempotencyKey(
  db: Kysely<Database>,
  row: Omit<IdempotencyKeyRow, 'message_id' | 'conversation_id'>,
  abandonedBefore: string,
): Promise<boolean> {
  const claimed = await db
    .insertInto('idempotency_keys')
    .values({ ...row, message_id: null, conversation_id: null })
    .onConflict((conflict) =>
      conflict
        .columns(['workspace_id', 'key'])
        .doUpdateSet({
          request_hash: row.request_hash,
          claim_token: row.claim_token,
          message_id: null,
          conversation_id: null,
          created_at: row.created_at,
          expires_at: row.expires_at,
        })
        .where((eb) =>
          eb.or([
            eb('idempotency_keys.expires_at', '<=', row.created_at),
            eb.and([
              eb('idempotency_keys.message_id', 'is', null),
              eb('idempotency_keys.created_at', '<', abandonedBefore),
            ]),
          ]),
        ),
    )
    .returning('claim_token')
    .executeTakeFirst();
  return claimed?.claim_token === row.claim_token;
}

export function findIdempotencyKey(
  db: Kysely<Database>,
  workspaceId: string,
  key: string,
): Promise<IdempotencyKeyRow | undefined> {
  return db
    .selectFrom('idempotency_keys')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('key', '=', key)
    .executeTakeFirst();
}

/** Records the reply the holder's turn produces, so repeats replay it. */
export async function recordIdempotentReply(
  db: Kysely<Database>,
  claim: { workspaceId: string; key: string; token: string },
  reply: { messageId: string; conversationId: string },
): Promise<void> {
  await db
    .updateTable('idempotency_keys')
    .set({ message_id: reply.messageId, conversation_id: reply.conversationId })
    .where('workspace_id', '=', claim.workspaceId)
    .where('key', '=', claim.key)
    .where('claim_token', '=', claim.token)
    .execute();
}

/** Gives a key back (its request ended before a reply existed), if this claim still holds it. */
export async function deleteIdempotencyClaim(
  db: Kysely<Database>,
  claim: { workspaceId: string; key: string; token: string },
): Promise<void> {
  await db
    .deleteFrom('idempotency_keys')
    .where('workspace_id', '=', claim.workspaceId)
    .where('key', '=', claim.key)
    .where('claim_token', '=', claim.token)
    .execute();
}

export async function deleteExpiredIdempotencyKeys(db: Kysely<Database>, now: string): Promise<number> {
  const result = await db.deleteFrom('idempotency_keys').where('expires_at', '<=', now).executeTakeFirst();
  return Number(result.numDeletedRows);
}
