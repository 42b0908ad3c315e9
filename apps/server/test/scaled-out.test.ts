import { describe, expect, it } from 'vitest';

const missing = [
  process.env.TEST_DATABASE_URL ? undefined : 'TEST_DATABASE_URL',
  process.env.TEST_REDIS_URL ? undefined : 'TEST_REDIS_URL',
].filter(Boolean);

describe('the postgres+redis test project', () => {
  // Reported as skipped, with the reason, where the services are not configured.
  it.skipIf(missing.length > 0)(
    `runs every HTTP suite on PostgreSQL and Redis${missing.length ? ` (skipped: ${missing.join(' and ')} not set)` : ''}`,
    () => {
      expect(process.env.TEST_DATABASE_URL).toMatch(/^postgres/);
      expect(process.env.TEST_REDIS_URL).toMatch(/^rediss?:\/\//);
    },
  );
});
