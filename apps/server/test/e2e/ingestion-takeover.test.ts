import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabaseUrl, dialects } from '../helpers/databases.ts';
import {
  killStartedServers,
  START_TIMEOUT_MS,
  startServer,
  waitForBaseUrl,
} from '../helpers/server-process.ts';
import { apiClient, eventually } from '../helpers/test-server.ts';

// A server killed outright (SIGKILL) while it ingests a knowledge source: the source must not stay
// `processing` forever. Once the dead instance's lease runs out, the instance that runs next (the same one
// restarted on SQLite; another one on PostgreSQL and Redis) takes it over and finishes it.

const ADMIN_TOKEN = 'operator-token-ingest-0123456789';
const LEASE_MS = 1500;
const TEST_TIMEOUT_MS = START_TIMEOUT_MS * 2 + 30_000;

/** A site whose page hangs on the first request (the instance that gets it is killed meanwhile). */
async function startHangingSite() {
  let requests = 0;
  const hanging: ServerResponse[] = [];
  const server: Server = createServer((_request: IncomingMessage, response: ServerResponse) => {
    requests++;
    if (requests === 1) {
      hanging.push(response);
      return;
    }
    response
      .writeHead(200, { 'content-type': 'text/html' })
      .end(
        '<html><head><title>Care guide</title></head><body><p>Water the fern twice a week.</p></body></html>',
      );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/care`,
    requests: () => requests,
    close: () => {
      for (const response of hanging) response.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

afterAll(async () => {
  await killStartedServers();
});

describe.each(dialects)(
  'knowledge ingestion taken over after a crash on $dialect',
  ({ dialect, skipReason }) => {
    const redisMissing = dialect === 'postgres' && !process.env.TEST_REDIS_URL;
    if (skipReason || redisMissing) {
      it.skip(`skipped: ${skipReason ?? 'TEST_REDIS_URL is not set'}`, () => {});
      return;
    }

    it(
      'a source whose instance was killed mid-ingestion ends ready, ingested once, not processing forever',
      async () => {
        const site = await startHangingSite();
        const database = await createTestDatabaseUrl(dialect);
        try {
          const env: Record<string, string> = {
            DATABASE_URL: database.url,
            POLLYBOT_ADMIN_TOKEN: ADMIN_TOKEN,
            POLLYBOT_DEMO: 'false',
            POLLYBOT_URL_IMPORT_ALLOW_PRIVATE: 'true',
            POLLYBOT_INGESTION_LEASE_MS: String(LEASE_MS),
            LOG_LEVEL: 'warn',
          };
          if (dialect === 'postgres') {
            env.REDIS_URL = process.env.TEST_REDIS_URL as string;
            env.REDIS_KEY_PREFIX = `e2e-ingest-${randomBytes(6).toString('hex')}:`;
          }
          const first = startServer(env);
          const firstUrl = await waitForBaseUrl(first);
          const created = await apiClient(firstUrl, ADMIN_TOKEN).post('/api/admin/workspaces', {
            name: 'Plants',
            credits: 10,
          });
          const apiKey = created.body.data.apiKey as string;
          const chatbot = await apiClient(firstUrl, apiKey).post('/api/v1/chatbots', { name: 'Plant bot' });
          const chatbotId = chatbot.body.data.id as string;
          const source = await apiClient(firstUrl, apiKey).post(`/api/v1/chatbots/${chatbotId}/knowledge`, {
            kind: 'url',
            url: site.url,
          });
          expect(source.status).toBe(201);
          const sourceId = source.body.data.id as string;

          // The first instance is fetching the page (which hangs) when it dies.
          await eventually(() => site.requests() === 1, 10_000);
          const path = `/api/v1/chatbots/${chatbotId}/knowledge/${sourceId}`;
          expect((await apiClient(firstUrl, apiKey).get(path)).body.data.status).toBe('processing');
          first.signal('SIGKILL');
          await first.exited;

          const next = startServer(env);
          const nextUrl = await waitForBaseUrl(next);
          let status = '';
          await eventually(async () => {
            const read = await apiClient(nextUrl, apiKey).get(path);
            status = read.body.data.status;
            return status !== 'processing' && status !== 'queued';
          }, 20_000);

          const read = await apiClient(nextUrl, apiKey).get(path);
          expect(read.body.data).toMatchObject({
            status: 'ready',
            error: null,
            chunkCount: 1,
            title: 'Care guide',
          });
          expect(site.requests()).toBe(2);
          const reply = await apiClient(nextUrl, apiKey).post(`/api/v1/chatbots/${chatbotId}/chat`, {
            message: 'How often should I water the fern?',
          });
          expect(reply.body.data.response).toContain('twice a week');
          expect(reply.body.data.sources).toEqual([expect.objectContaining({ id: sourceId, url: site.url })]);
          next.signal('SIGKILL');
          await next.exited;
        } finally {
          await site.close();
          await database.drop();
        }
      },
      TEST_TIMEOUT_MS,
    );
  },
);
