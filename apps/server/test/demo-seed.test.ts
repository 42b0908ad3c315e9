import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { migrateToLatest } from '../src/db/connect.ts';
import { countWorkspaces } from '../src/db/workspaces.repository.ts';
import { seedDemo } from '../src/features/demo/seed-demo.ts';
import { createServices, demoDeps, type Services } from '../src/services.ts';
import { createTestDatabaseUrl, dialects } from './helpers/databases.ts';

describe.each(dialects)('demo seed on $dialect', ({ dialect, skipReason }) => {
  if (skipReason) {
    it.skip(`skipped: ${skipReason}`, () => {});
    return;
  }

  let instances: Services[];
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const database = await createTestDatabaseUrl(dialect);
    drop = database.drop;
    // Two instances starting together on one empty database.
    instances = [0, 1].map(() =>
      createServices(loadConfig({ DATABASE_URL: database.url, LOG_LEVEL: 'silent' })),
    );
    await migrateToLatest(instances[0]?.database as Services['database']);
  });

  afterAll(async () => {
    for (const services of instances) await services.close();
    await drop();
  });

  it('creates exactly one demo workspace when several instances seed at once', async () => {
    const [first, second] = instances as [Services, Services];
    // SQLite serves one process, whose connections wait on each other synchronously: seed in turn there.
    const seeds =
      dialect === 'postgres'
        ? await Promise.all([seedDemo(demoDeps(first)), seedDemo(demoDeps(second))])
        : [await seedDemo(demoDeps(first)), await seedDemo(demoDeps(second))];

    expect(seeds.filter((seed) => seed !== undefined)).toHaveLength(1);
    expect(await countWorkspaces(instances[0]?.db as Services['db'])).toBe(1);
  });

  it('creates nothing on a database that has workspaces', async () => {
    expect(await seedDemo(demoDeps(instances[1] as Services))).toBeUndefined();
  });
});
