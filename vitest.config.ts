import { defineConfig } from 'vitest/config';

// The HTTP suites run twice when PostgreSQL and Redis are at hand (as in CI): once on the embedded
// default (SQLite, in-memory limits) and once on PostgreSQL with Redis, with the same test bodies.
const scaledOut = Boolean(process.env.TEST_DATABASE_URL && process.env.TEST_REDIS_URL);

export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: {
          name: 'sqlite',
          include: ['apps/*/src/**/*.test.ts', 'apps/*/test/**/*.test.ts', 'packages/*/src/**/*.test.ts'],
        },
      },
      ...(scaledOut
        ? [
            {
              extends: true,
              test: {
                name: 'postgres+redis',
                include: ['apps/*/test/http/**/*.test.ts'],
                env: { POLLYBOT_TEST_BACKING: 'postgres' },
              },
            },
          ]
        : []),
    ],
  },
});
