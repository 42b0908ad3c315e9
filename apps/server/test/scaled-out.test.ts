import { describe, expect, it } from 'vitest';
import { scaledOutAvailability } from './helpers/databases.ts';

const { skipped, skipReason } = scaledOutAvailability();

describe('the postgres+redis test project', () => {
  // Reported as skipped, with the reason, where the services are not configured.
  it.skipIf(skipped)(`runs every HTTP suite on PostgreSQL and Redis${skipReason}`, () => {
    expect(process.env.TEST_DATABASE_URL).toMatch(/^postgres/);
    expect(process.env.TEST_REDIS_URL).toMatch(/^rediss?:\/\//);
  });
});
