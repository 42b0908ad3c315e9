import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/database.ts';
import {
  createIngestionWorker,
  type IngestionWorker,
} from '../../src/features/knowledge/ingestion-worker.ts';
import type { Clock } from '../../src/lib/clock.ts';
import type { IdGenerator } from '../../src/lib/ids.ts';
import type { EmbeddingService } from '../../src/models/embedding-gateway.ts';
import { type ApiResponse, eventually, type TestServer } from './test-server.ts';

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

/** Waits (up to `timeoutMs`) for a knowledge source to leave the queue and answers it as it ended, through the API. */
export async function settledSource(
  target: TestServer,
  key: string,
  chatbotId: string,
  sourceId: string,
  timeoutMs: number,
): Promise<ApiResponse['body']> {
  let source: ApiResponse['body'] = {};
  await eventually(async () => {
    const read = await target.api(key).get(`/api/v1/chatbots/${chatbotId}/knowledge/${sourceId}`);
    source = read.body.data;
    return source.status === 'ready' || source.status === 'failed';
  }, timeoutMs);
  return source;
}
