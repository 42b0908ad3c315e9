import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/database.ts';
import {
  createIngestionWorker,
  type IngestionWorker,
} from '../../src/features/knowledge/ingestion-worker.ts';
import type { Clock } from '../../src/lib/clock.ts';
import type { IdGenerator } from '../../src/lib/ids.ts';
import type { EmbeddingService } from '../../src/models/embedding-gateway.ts';

/** An ingestion worker over a test database that fails the test on any unexpected ingestion error. */
export function createTestIngestion(
  db: Kysely<Database>,
  deps: { clock: Clock; ids: IdGenerator; embeddings?: EmbeddingService; leaseMs?: number },
): IngestionWorker {
  return createIngestionWorker({
    db,
    clock: deps.clock,
    ids: deps.ids,
    embeddings: deps.embeddings,
    leaseMs: deps.leaseMs ?? 30_000,
    webImport: {
      allowPrivateNetworks: true,
      maxPages: 20,
      maxBytesPerPage: 1024 * 1024,
      timeoutMs: 5_000,
      concurrency: 2,
      userAgent: 'PollyBot test',
    },
    onError: (sourceId, error) => {
      throw new Error(`ingestion of ${sourceId} failed: ${String(error)}`);
    },
  });
}
