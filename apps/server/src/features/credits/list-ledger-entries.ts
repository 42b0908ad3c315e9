import type { Kysely } from 'kysely';
import { listLedger } from '../../db/credits.repository.ts';
import type { CreditLedgerRow, Database } from '../../db/database.ts';
import type { Page, PageOptions } from '../../db/page.ts';

/** A movement of credits as the API shows it. */
type LedgerEntryView = {
  id: string;
  amount: number;
  balanceAfter: number;
  reason: CreditLedgerRow['reason'];
  createdAt: string;
};

/** The workspace's credit movements, newest first, each with the balance after it. */
export async function listLedgerEntries(
  deps: { db: Kysely<Database> },
  workspaceId: string,
  options: PageOptions,
): Promise<Page<LedgerEntryView>> {
  const page = await listLedger(deps.db, workspaceId, options);
  return {
    items: page.items.map((row) => ({
      id: row.id,
      amount: row.amount,
      balanceAfter: row.balance_after,
      reason: row.reason,
      createdAt: row.created_at,
    })),
    nextCursor: page.nextCursor,
  };
}
