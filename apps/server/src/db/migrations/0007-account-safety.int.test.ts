import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, dialects, type TestDatabase } from '../../../test/helpers/databases.ts';
import { migrateToLatest } from '../connect.ts';

describe.each(dialects)('migration 0007-account-safety on $dialect', ({ dialect, skipReason }) => {
  if (skipReason) {
    it.skip(`skipped: ${skipReason}`, () => {});
    return;
  }

  let database: TestDatabase;
  // biome-ignore lint/suspicious/noExplicitAny: the rows are written as they were before this migration
  let db: Kysely<any>;

  beforeAll(async () => {
    database = await createTestDatabase(dialect, { migrateTo: '0006-generating-replies-index' });
    db = database.handle.db;
  });

  afterAll(() => database.drop());

  it('gives existing workspaces their origin (the demo and setup ids, else the operator) and rows their new columns', async () => {
    const created_at = '2025-06-01T00:00:00.000Z';
    for (const id of ['demo', 'default', '01jcustomer'])
      await db
        .insertInto('workspaces')
        .values({ id, name: id, credits: 0, created_at, updated_at: created_at })
        .execute();
    await db
      .insertInto('api_keys')
      .values({
        id: 'k',
        workspace_id: '01jcustomer',
        name: 'Default key',
        prefix: 'sk-workspace_ab',
        key_hash: 'h',
        created_at,
      })
      .execute();

    await migrateToLatest(database.handle);

    const origins = await db.selectFrom('workspaces').select(['id', 'origin']).orderBy('id').execute();
    expect(origins).toEqual([
      { id: '01jcustomer', origin: 'operator' },
      { id: 'default', origin: 'setup' },
      { id: 'demo', origin: 'demo' },
    ]);
    expect(await db.selectFrom('api_keys').select('created_by').execute()).toEqual([{ created_by: null }]);
    expect(await db.selectFrom('setup_tokens').selectAll().execute()).toEqual([]);
  });
});
