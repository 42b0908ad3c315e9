import type { Kysely } from 'kysely';
import { listExpiredReservations, moveCredits, releaseReservation } from '../../db/credits.repository.ts';
import type { Database } from '../../db/database.ts';
import type { Clock } from '../../lib/clock.ts';
import type { IdGenerator } from '../../lib/ids.ts';

/**
 * Credits move only here and in a chat turn's two writes (db/chat-turns.repository.ts: a reply's reservation
 * when it starts, its settlement or release when it ends), each movement atomic with its ledger row.
 */
export type CreditService = {
  /** Gives back what a reservation took (a reply that never ended). Releasing twice gives back once. */
  release: (reservationId: string) => Promise<void>;
  /**
   * Adds (or, negative, removes) credits; answers the new balance, or undefined if it would go below zero or
   * above MAX_CREDIT_BALANCE.
   */
  adjust: (
    workspaceId: string,
    amount: number,
    reason: 'grant' | 'adjustment',
  ) => Promise<number | undefined>;
  /** Releases reservations left held past their expiry (by a crash); answers how many. */
  releaseExpired: () => Promise<number>;
};

export function createCreditService(deps: {
  db: Kysely<Database>;
  clock: Clock;
  ids: IdGenerator;
  reservationTtlMs: number;
}): CreditService {
  const { db, clock, ids } = deps;

  const release = async (reservationId: string): Promise<void> => {
    await db
      .transaction()
      .execute((trx) =>
        releaseReservation(trx, reservationId, { id: ids(), created_at: clock.now().toISOString() }),
      );
  };

  return {
    release,

    async adjust(workspaceId, amount, reason) {
      return db.transaction().execute((trx) =>
        moveCredits(trx, {
          id: ids(),
          workspace_id: workspaceId,
          amount,
          reason,
          reservation_id: null,
          created_at: clock.now().toISOString(),
        }),
      );
    },

    async releaseExpired() {
      const expired = await listExpiredReservations(db, clock.now().toISOString());
      for (const { id } of expired) await release(id);
      return expired.length;
    },
  };
}

/** A model's price in credits: an exact entry, then `provider/*`, then 1. */
export function priceOfModel(prices: Record<string, number>, model: string): number {
  const exact = prices[model];
  if (exact !== undefined) return exact;
  const provider = model.split('/')[0];
  return prices[`${provider}/*`] ?? 1;
}
