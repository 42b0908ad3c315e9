import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, dialects, type TestDatabase } from '../../../test/helpers/databases.ts';
import { sumLedger } from '../../db/credits.repository.ts';
import { findWorkspace } from '../../db/workspaces.repository.ts';
import { createIdGenerator } from '../../lib/ids.ts';
import { createWorkspace } from '../workspaces/create-workspace.ts';
import { createCreditService } from './credit-service.ts';

describe.each(dialects)('credit service on $dialect', ({ dialect, skipReason }) => {
  if (skipReason) {
    it.skip(`skipped: ${skipReason}`, () => {});
    return;
  }

  let database: TestDatabase;
  let now = new Date('2026-01-01T00:00:00.000Z');
  const clock = { now: () => now };
  const ids = createIdGenerator();
  const services = () => {
    const db = database.handle.db;
    return { db, clock, ids, credits: createCreditService({ db, clock, ids, reservationTtlMs: 60_000 }) };
  };

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
  });
  afterAll(async () => {
    await database.drop();
  });

  it('lets exactly as many concurrent reservations through as the balance covers, never below zero', async () => {
    const deps = services();
    const { workspace } = await createWorkspace(deps, { name: 'race', credits: 5 });

    const results = await Promise.all(
      Array.from({ length: 30 }, () => deps.credits.reserve(workspace.id, 1)),
    );

    expect(results.filter((result) => result.ok)).toHaveLength(5);
    expect((await findWorkspace(deps.db, workspace.id))?.credits).toBe(0);
    expect(await sumLedger(deps.db, workspace.id)).toBe(0);
  });

  it('gives a released reservation back once, however often it is released', async () => {
    const deps = services();
    const { workspace } = await createWorkspace(deps, { name: 'release', credits: 3 });
    const reservation = await deps.credits.reserve(workspace.id, 2);
    if (!reservation.ok) throw new Error('expected a reservation');

    await Promise.all([
      deps.credits.release(reservation.reservationId),
      deps.credits.release(reservation.reservationId),
    ]);

    expect((await findWorkspace(deps.db, workspace.id))?.credits).toBe(3);
    expect(await sumLedger(deps.db, workspace.id)).toBe(3);
  });

  it('keeps a settled reservation even when a release comes after it', async () => {
    const deps = services();
    const { workspace } = await createWorkspace(deps, { name: 'settle', credits: 3 });
    const reservation = await deps.credits.reserve(workspace.id, 1);
    if (!reservation.ok) throw new Error('expected a reservation');

    await deps.credits.settle(reservation.reservationId, 'message-1');
    await deps.credits.release(reservation.reservationId);

    expect((await findWorkspace(deps.db, workspace.id))?.credits).toBe(2);
    expect(await sumLedger(deps.db, workspace.id)).toBe(2);
  });

  it('releases reservations left held past their expiry, as after a crash', async () => {
    const deps = services();
    const { workspace } = await createWorkspace(deps, { name: 'expiry', credits: 4 });
    await deps.credits.reserve(workspace.id, 1);
    await deps.credits.reserve(workspace.id, 1);
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
