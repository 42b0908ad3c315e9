import type { Kysely } from 'kysely';
import { findReservationConversations, listLedger } from '../../db/credits.repository.ts';
import type { CreditLedgerRow, Database } from '../../db/database.ts';
import type { Page, PageOptions } from '../../db/page.ts';

/** A movement of credits as the API shows it. */
type LedgerEntryView = {
  id: string;
  amount: number;
  balanceAfter: number;
  reason: CreditLedgerRow['reason'];
  createdAt: string;
  conversation: { chatbotId: string; conversationId: string } | null;
};

/**
 * The workspace's credit movements, newest first, each with the balance after it and, for a reply's
 * reservation or release, the reply's conversation (null once the conversation is deleted).
 */
export async function listLedgerEntries(
  deps: { db: Kysely<Database> },
  workspaceId: string,
  options: PageOptions,
): Promise<Page<LedgerEntryView>> {
  const page = await listLedger(deps.db, workspaceId, options);
  const reservationIds = page.items.flatMap((row) => (row.reservation_id ? [row.reservation_id] : []));
  const conversations = await findReservationConversations(deps.db, workspaceId, reservationIds);
  return {
    items: page.items.map((row) => ({
      id: row.id,
      amount: row.amount,
      balanceAfter: row.balance_after,
      reason: row.reason,
      createdAt: row.created_at,
      conversation: (row.reservation_id && conversations.get(row.reservation_id)) || null,
    })),
    nextCursor: page.nextCursor,
  };
}
