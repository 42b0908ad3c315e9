import SqliteDatabase from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/helpers/databases.ts';
import { createIdGenerator } from '../lib/ids.ts';
import { findWorkspace, insertWorkspace } from './workspaces.repository.ts';
import { createWriteBatch } from './write-batch.ts';

// SQLite's group commit; PostgreSQL writes each in a transaction of its own.
describe('the SQLite write batch', () => {
  let database: TestDatabase;
  const ids = createIdGenerator();
  const now = '2026-01-01T00:00:00.000Z';
  const workspace = (id: string) => ({ id, name: id, credits: 0, created_at: now, updated_at: now });

  beforeEach(async () => {
    database = await createTestDatabase('sqlite');
  });
  afterEach(async () => {
    await database.drop();
  });

  it('stores the writes asked for in one turn of the event loop in one transaction', async () => {
    const write = createWriteBatch(database.handle.db);
    const names = Array.from({ length: 5 }, () => ids());

    const results = await Promise.all(
      names.map((id) =>
        write(async (trx) => {
          await insertWorkspace(trx, workspace(id));
          return id;
        }),
      ),
    );

    expect(results).toEqual(names);
    expect(write.stats()).toEqual({ batches: 1, writes: 5 });
    for (const id of names) expect(await findWorkspace(database.handle.db, id)).toBeDefined();
  });

  it('rolls back only the write that failed; the others of its batch are stored', async () => {
    const write = createWriteBatch(database.handle.db);
    const [first, failing, last] = [ids(), ids(), ids()];

    const outcomes = await Promise.allSettled([
      write((trx) => insertWorkspace(trx, workspace(first))),
      write(async (trx) => {
        await insertWorkspace(trx, workspace(failing));
        throw new Error('changed its mind');
      }),
      // A statement SQLite itself refuses: the same primary key twice.
      write(async (trx) => {
        await insertWorkspace(trx, workspace(last));
        await insertWorkspace(trx, workspace(last));
      }),
    ]);

    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'rejected']);
    expect((outcomes[1] as PromiseRejectedResult).reason).toEqual(new Error('changed its mind'));
    expect(String((outcomes[2] as PromiseRejectedResult).reason)).toMatch(/UNIQUE constraint failed/);
    expect(await findWorkspace(database.handle.db, first)).toBeDefined();
    expect(await findWorkspace(database.handle.db, failing)).toBeUndefined();
    expect(await findWorkspace(database.handle.db, last)).toBeUndefined();
  });

  it('puts the writes asked for while a batch runs into the next one', async () => {
    const write = createWriteBatch(database.handle.db);
    const [early, late] = [ids(), ids()];
    let askLate: () => void = () => {};
    const lateAsked = new Promise<void>((resolve) => {
      askLate = resolve;
    });
    let lateWrite: Promise<void> | undefined;

    const earlyWrite = write(async (trx) => {
      await insertWorkspace(trx, workspace(early));
      lateWrite = write((inner) => insertWorkspace(inner, workspace(late)));
      askLate();
    });
    await lateAsked;
    await Promise.all([earlyWrite, lateWrite]);

    expect(write.stats()).toEqual({ batches: 2, writes: 2 });
    expect(await findWorkspace(database.handle.db, late)).toBeDefined();
  });

  it('answers a write only once it is committed: another connection reads it then', async () => {
    const write = createWriteBatch(database.handle.db);
    const reader = new SqliteDatabase(database.url.slice('sqlite:'.length), { readonly: true });
    const id = ids();
    try {
      const seen = await Promise.all([
        write((trx) => insertWorkspace(trx, workspace(ids()))),
        write((trx) => insertWorkspace(trx, workspace(id))),
      ]).then(() => reader.prepare('select id from workspaces where id = ?').get(id));

      expect(seen).toEqual({ id });
    } finally {
      reader.close();
    }
  });
});
