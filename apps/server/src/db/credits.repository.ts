import { type Kysely, sql } from 'kysely';
import type { CreditLedgerRow, Database } from './database.ts';
import { fetchPage, type Page, type PageOptions } from './page.ts';

type LedgerEntry = Omit<CreditLedgerRow, 'balance_after'>;

/**
 * Moves credits by `entry.amount` inside the caller's transaction, unless that would take the balance
 * below zero, and records the movement. Answers the new balance, or undefined when refused.
 * The guarded UPDATE is atomic on both dialects: racing writers serialize on the row.
 */
/** The largest balance the credits column holds (a 4-byte integer on PostgreSQL). */
export const MAX_CREDIT_BALANCE = 2_147_483_647;

export async function moveCredits(trx: Kysely<Database>, entry: LedgerEntry): Promise<number | undefined> {
  const updated = await trx
    .updateTable('workspaces')
    .set({ credits: sql`credits + ${entry.amount}` })
    .where('id', '=', entry.workspace_id)
    // Summed as a bigint: past the maximum, a 4-byte sum would fail the whole statement.
    .where(sql<boolean>`cast(credits as bigint) + ${entry.amount} between 0 and ${MAX_CREDIT_BALANCE}`)
    .returning('credits')
    .executeTakeFirst();
  if (!updated) return undefined;
  await trx
    .insertInto('credit_ledger')
    .values({ ...entry, balance_after: updated.credits })
    .execute();
  return updated.credits;
}

export async function insertReservation(
  trx: Kysely<Database>,
  row: { id: string; workspace_id: string; amount: number; created_at: string; expires_at: string },
): Promise<void> {
  await trx
    .insertInto('credit_reservations')
    .values({ ...row, status: 'held', message_id: null })
    .execute();
}

/** Marks a held reservation as settled; answers false when it was no longer held. */
export async function settleReservation(
  trx: Kysely<Database>,
  id: string,
  messageId: string,
): Promise<boolean> {
  const result = await trx
    .updateTable('credit_reservations')
    .set({ status: 'settled', message_id: messageId })
    .where('id', '=', id)
    .where('status', '=', 'held')
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Marks a held reservation as released and answers what it held, or undefined when it was not held. */
async function markReservationReleased(
  trx: Kysely<Database>,
  id: string,
): Promise<{ workspace_id: string; amount: number } | undefined> {
  return trx
    .updateTable('credit_reservations')
    .set({ status: 'released' })
    .where('id', '=', id)
    .where('status', '=', 'held')
    .returning(['workspace_id', 'amount'])
    .executeTakeFirst();
}

/** Gives a held reservation's credits back, with its `release` ledger row; nothing when it was no longer held. */
export async function releaseReservation(
  trx: Kysely<Database>,
  reservationId: string,
  ledger: { id: string; created_at: string },
): Promise<void> {
  const held = await markReservationReleased(trx, reservationId);
  if (!held) return;
  await moveCredits(trx, {
    ...ledger,
    workspace_id: held.workspace_id,
    amount: held.amount,
    reason: 'release',
    reservation_id: reservationId,
  });
}

/** Held reservations whose request should long be over: left behind by a crash. */
export function listExpiredReservations(trx: Kysely<Database>, now: string): Promise<{ id: string }[]> {
  return trx
    .selectFrom('credit_reservations')
    .select('id')
    .where('status', '=', 'held')
    .where('expires_at', '<', now)
    .limit(500)
    .execute();
}

export async function sumLedger(db: Kysely<Database>, workspaceId: string): Promise<number> {
  const row = await db
    .selectFrom('credit_ledger')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number | string>('amount'), sql<number>`0`).as('total'))
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirstOrThrow();
  return Number(row.total);
}

export async function listLedger(
  db: Kysely<Database>,
  workspaceId: string,
  options: PageOptions,
): Promise<Page<CreditLedgerRow>> {
  return fetchPage(
    db.selectFrom('credit_ledger').selectAll().where('workspace_id', '=', workspaceId),
    options,
  );
}

/** The conversation (and its chatbot) of each reply whose reservation is named, by reservation id. */
export async function findReservationConversations(
  db: Kysely<Database>,
  workspaceId: string,
  reservationIds: string[],
): Promise<Map<string, { chatbotId: string; conversationId: string }>> {
  if (reservationIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('credit_reservations')
    .innerJoin('messages', 'messages.id', 'credit_reservations.message_id')
    .innerJoin('conversations', 'conversations.id', 'messages.conversation_id')
    .select([
      'credit_reservations.id as reservationId',
      'conversations.id as conversationId',
      'conversations.chatbot_id as chatbotId',
    ])
    .where('credit_reservations.workspace_id', '=', workspaceId)
    .where('credit_reservations.id', 'in', reservationIds)
    .execute();
  return new Map(
    rows.map((row) => [row.reservationId, { chatbotId: row.chatbotId, conversationId: row.conversationId }]),
  );
}
