import { describe, expect, it } from 'vitest';
import { dialects, useTestDatabase } from '../../../test/helpers/databases.ts';
import { insertReservation, moveCredits, sumLedger } from '../../db/credits.repository.ts';
import { findWorkspace } from '../../db/workspaces.repository.ts';
import { createIdGenerator } from '../../lib/ids.ts';
import { createWorkspace } from '../workspaces/create-workspace.ts';
import { createCreditService } from './credit-service.ts';

describe.each(dialects)('credit service on $dialect', ({ dialect, skipReason }) => {
  if (skipReason) {
    it.skip(`skipped: ${skipReason}`, () => {});
    return;
  }

  const database = useTestDatabase(dialect);
  let now = new Date('2026-01-01T00:00:00.000Z');
  const clock = { now: () => now };
  const ids = createIdGenerator();
  const services = () => {
    const db = database().handle.db;
    return { db, clock, ids, credits: createCreditService({ db, clock, ids, reservationTtlMs: 60_000 }) };
  };

  /** Holds `amount` of the workspace's credits as a chat turn's start does; answers the reservation's id. */
  const hold = (workspaceId: string, amount: number) =>
    database()
      .handle.db.transaction()
      .execute(async (trx) => {
        const reservationId = ids();
        const createdAt = now.toISOString();
        await moveCredits(trx, {
          id: ids(),
          workspace_id: workspaceId,
          amount: -amount,
          reason: 'reservation',
          reservation_id: reservationId,
          created_at: createdAt,
        });
        const expiresAt = new Date(now.getTime() + 60_000).toISOString();
        await insertReservation(trx, {
          id: reservationId,
          workspace_id: workspaceId,
          amount,
          created_at: createdAt,
          expires_at: expiresAt,
        });
        return reservationId;
      });

  it('gives a released reservation back once, however often it is released', async () => {
    const deps = services();
    const { workspace } = await createWorkspace(deps, { name: 'release', credits: 3 });
    const reservationId = await hold(workspace.id, 2);

    await Promise.all([deps.credits.release(reservationId), deps.credits.release(reservationId)]);

    expect((await findWorkspace(deps.db, workspace.id))?.credits).toBe(3);
    expect(await sumLedger(deps.db, workspace.id)).toBe(3);
  });

  it('releases reservations left held past their expiry, as after a crash', async () => {
    const deps = services();
    const { workspace } = await createWorkspace(deps, { name: 'expiry', credits: 4 });
    await hold(workspace.id, 1);
    await hold(workspace.id, 1);
    expect(await deps.credits.releaseExpired()).toBe(0);

    now = new Date(now.getTime() + 61_000);
    const released = await deps.credits.releaseExpired();

    expect(released).toBeGreaterThanOrEqual(2);
    expect((await findWorkspace(deps.db, workspace.id))?.credits).toBe(4);
    expect(await sumLedger(deps.db, workspace.id)).toBe(4);
  });

  it('refuses an adjustment that would take the balance below zero and records nothing', async () => {
    const deps = services();
    const { workspace } = await createWorkspace(deps, { name: 'adjust', credits: 2 });

    expect(await deps.credits.adjust(workspace.id, -3, 'adjustment')).toBeUndefined();
    expect(await deps.credits.adjust(workspace.id, -2, 'adjustment')).toBe(0);
    expect(await sumLedger(deps.db, workspace.id)).toBe(0);
  });
});
