import type { Kysely } from 'kysely';
import {
  insertReservation,
  listExpiredReservations,
  markReservationReleased,
  moveCredits,
  settleReservation,
} from '../../db/credits.repository.ts';
import type { Database } from '../../db/database.ts';
import type { Clock } from '../../lib/clock.ts';
import type { IdGenerator } from '../../lib/ids.ts';

/** A reservation, with the workspace's balance right after it (unknown for a free reply, which takes nothing). */
export type Reservation =
  | { ok: true; reservationId: string | null; amount: number; balance: number | undefined }
  | { ok: false };

/** Credits move only here, each movement inside a transaction with its ledger row. */
export type CreditService = {
  /**
   * Takes `amount` from the balance before a response is generated; refused when the balance is short. Pass
   * `trx` to reserve within it (a refusal then writes nothing, and the caller decides whether to roll back).
   */
  reserve: (workspaceId: string, amount: number, trx?: Kysely<Database>) => Promise<Reservation>;
  /**
   * Keeps what a reservation took: the response was delivered. Pass `trx` to settle with the reply it paid for.
   * Answers false when the reservation was no longer held (the sweep gave it back): nothing was kept.
   */
  settle: (reservationId: string | null, messageId: string, trx?: Kysely<Database>) => Promise<boolean>;
  /** Gives back what a reservation took: the response failed. Releasing twice gives back once. */
  release: (reservationId: string | null, trx?: Kysely<Database>) => Promise<void>;
  /** Adds (or, negative, removes) credits; answers the new balance, or undefined if it would go below zero. */
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

  const releaseWithin = async (trx: Kysely<Database>, reservationId: string): Promise<void> => {
    const held = await markReservationReleased(trx, reservationId);
    if (!held) return;
    await moveCredits(trx, {
      id: ids(),
      workspace_id: held.workspace_id,
      amount: held.amount,
      reason: 'release',
      reservation_id: reservationId,
      created_at: clock.now().toISOString(),
    });
  };

  const release = async (reservationId: string | null, trx?: Kysely<Database>): Promise<void> => {
    if (!reservationId) return;
    if (trx) await releaseWithin(trx, reservationId);
    else await db.transaction().execute((inner) => releaseWithin(inner, reservationId));
  };

  return {
    async reserve(workspaceId, amount, outer) {
      if (amount === 0) return { ok: true, reservationId: null, amount, balance: undefined };
      const now = clock.now();
      const reservationId = ids();
      const reserveWithin = async (trx: Kysely<Database>) => {
        const after = await moveCredits(trx, {
          id: ids(),
          workspace_id: workspaceId,
          amount: -amount,
          reason: 'reservation',
          reservation_id: reservationId,
          created_at: now.toISOString(),
        });
        if (after === undefined) return undefined;
        await insertReservation(trx, {
          id: reservationId,
          workspace_id: workspaceId,
          amount,
          created_at: now.toISOString(),
          expires_at: new Date(now.getTime() + deps.reservationTtlMs).toISOString(),
        });
        return after;
      };
      const balance = outer ? await reserveWithin(outer) : await db.transaction().execute(reserveWithin);
      return balance === undefined ? { ok: false } : { ok: true, reservationId, amount, balance };
    },

    async settle(reservationId, messageId, trx) {
      if (!reservationId) return true;
      return settleReservation(trx ?? db, reservationId, messageId);
    },

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
