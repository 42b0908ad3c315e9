import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiResponse, eventually, startTestServer, type TestServer } from '../helpers/test-server.ts';

// Redis going away and coming back, for real: a private redis-server on a loopback port that the test kills
// (SIGKILL, as a crash or a lost host would) and starts again on the same port, with a PollyBot server
// connected to it over real HTTP. The database is SQLite: only Redis fails here.

const hasRedisServer = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).status === 0;
const SKIP_REASON = hasRedisServer ? '' : ' (skipped: redis-server is not on PATH)';
const REDIS_START_TIMEOUT_MS = 10_000;
/** How long PollyBot may take to notice Redis is back: ioredis retries at most every 2 s. */
const RECOVERY_TIMEOUT_MS = 15_000;

type RedisProcess = { child: ChildProcess; exited: Promise<void>; output: () => string };

const redisDirectory = hasRedisServer ? mkdtempSync(join(tmpdir(), 'pollybot-redis-')) : '';
const redisProcesses: RedisProcess[] = [];

/** A port that was free a moment ago on loopback (redis-server refuses to start, loudly, if it was taken since). */
function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** Starts redis-server with no persistence and resolves once it accepts connections. */
function startRedis(port: number): Promise<RedisProcess> {
  const child = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      redisDirectory,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const redis: RedisProcess = { child, exited, output: () => output };
  redisProcesses.push(redis);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`redis-server not ready within ${REDIS_START_TIMEOUT_MS} ms:\n${output}`));
    }, REDIS_START_TIMEOUT_MS);
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (!output.includes('Ready to accept connections')) return;
      clearTimeout(timer);
      resolve(redis);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited before it was ready:\n${output}`));
    });
  });
}

async function killRedis(redis: RedisProcess): Promise<void> {
  if (redis.child.exitCode === null && redis.child.signalCode === null) redis.child.kill('SIGKILL');
  await redis.exited;
}

/** The contract's failure envelope, with nothing else in it unless `extra` says so. */
function expectEnvelope(response: ApiResponse, status: number, code: string, extra: object = {}) {
  expect({ status: response.status, body: response.body }).toEqual({
    status,
    body: { success: false, error: expect.any(String), code, ...extra },
  });
  expect(response.headers.get('x-request-id')).toMatch(/\S/);
}

describe.skipIf(!hasRedisServer)(`PollyBot with its Redis killed and restarted${SKIP_REASON}`, () => {
  let redisPort: number;
  let redis: RedisProcess;
  let server: TestServer;
  let apiKey: string;
  let chatbotId: string;
  /** A chatbot whose one-request window is used up before the outage. */
  let exhaustedChatbotId: string;
  /** A second key, used (and so cached) while Redis is up, then revoked during the outage. */
  let doomedKey: { id: string; key: string };

  const chat = (id: string, key = apiKey, body: Record<string, unknown> = { message: 'Hello' }) =>
    server.api(key).post(`/api/v1/chatbots/${id}/chat`, body);
  const readiness = () => server.api().get('/readyz');

  beforeAll(async () => {
    redisPort = await findFreePort();
    redis = await startRedis(redisPort);
    server = await startTestServer({
      REDIS_URL: `redis://127.0.0.1:${redisPort}`,
      LOG_LEVEL: 'warn',
    });
    ({ apiKey } = await server.createWorkspace(1000));
    chatbotId = (await server.createChatbot(apiKey, { name: 'Outage bot' })).id;
    exhaustedChatbotId = (
      await server.createChatbot(apiKey, {
        name: 'Busy bot',
        rateLimit: { requests: 1, windowSeconds: 3600 },
      })
    ).id;
  });

  afterAll(async () => {
    await server?.close();
    for (const started of redisProcesses) await killRedis(started);
    if (redisDirectory) rmSync(redisDirectory, { recursive: true, force: true });
  });

  describe('while Redis is up', () => {
    it('answers a chat message with 200 and rate-limit headers counted in Redis', async () => {
      const response = await chat(chatbotId);

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ success: true, data: { response: expect.stringMatching(/\S/) } });
      expect(response.headers.get('x-ratelimit-limit')).toBe('60');
      expect(response.headers.get('x-ratelimit-remaining')).toBe('59');
    });

    it('answers /readyz with 200 and checks.redis true', async () => {
      const response = await readiness();

      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        status: 'ok',
        checks: { database: true, accepting: true, redis: true },
      });
    });

    it('refuses a chatbot over its limit with 429', async () => {
      expect((await chat(exhaustedChatbotId)).status).toBe(200);

      expectEnvelope(await chat(exhaustedChatbotId), 429, 'RATE_LIMIT_EXCEEDED', {
        retryAfter: expect.any(Number),
      });
    });
  });

  describe('after redis-server is killed', () => {
    beforeAll(async () => {
      const created = await server.api(apiKey).post('/api/v1/api-keys', { name: 'Doomed key' });
      expect(created.status).toBe(201);
      doomedKey = created.body.data;
      expect((await server.api(doomedKey.key).get('/api/v1/workspace')).status).toBe(200);
      expect((await chat(chatbotId, doomedKey.key)).status).toBe(200);

      await killRedis(redis);
      await eventually(async () => (await readiness()).status === 503, RECOVERY_TIMEOUT_MS);
    });

    it('answers /readyz with 503 and checks.redis false', async () => {
      const response = await readiness();

      expect(response.status).toBe(503);
      expect(response.body).toEqual({
        status: 'unavailable',
        checks: { database: true, accepting: true, redis: false },
      });
    });

    it('answers a chat message with 503 SERVICE_UNAVAILABLE, never 200 and never 429', async () => {
      const withinLimit = await chat(chatbotId);
      const overLimit = await chat(exhaustedChatbotId);
      const streamed = await chat(chatbotId, apiKey, { message: 'Hello', stream: true });

      for (const response of [withinLimit, overLimit, streamed]) {
        expectEnvelope(response, 503, 'SERVICE_UNAVAILABLE');
        expect(response.headers.get('content-type')).toContain('application/json');
        // No count could be made, so no limit is announced either.
        expect(response.headers.get('x-ratelimit-remaining')).toBeNull();
        expect(response.headers.get('retry-after')).toBeNull();
      }
    });

    it('still serves management routes that need no Redis', async () => {
      const response = await server.api(apiKey).get('/api/v1/chatbots');

      expect(response.status).toBe(200);
      expect(response.body.data.map((chatbot: { id: string }) => chatbot.id).sort()).toEqual(
        [chatbotId, exhaustedChatbotId].sort(),
      );
    });

    it('refuses a key revoked during the outage at once, on the same instance', async () => {
      const revoked = await server.api(apiKey).delete(`/api/v1/api-keys/${doomedKey.id}`);

      expect(revoked.status).toBe(200);
      expect(revoked.body).toEqual({ success: true, data: { id: doomedKey.id, revoked: true } });
      expectEnvelope(await server.api(doomedKey.key).get('/api/v1/workspace'), 401, 'INVALID_API_KEY');
      expectEnvelope(await chat(chatbotId, doomedKey.key), 401, 'INVALID_API_KEY');
    });
  });

  describe('after redis-server restarts on the same port', () => {
    beforeAll(async () => {
      redis = await startRedis(redisPort);
    });

    it('answers chat messages with 200 again, and /readyz with 200', async () => {
      await eventually(async () => (await chat(chatbotId)).status === 200, RECOVERY_TIMEOUT_MS);

      const ready = await readiness();
      expect(ready.status).toBe(200);
      expect(ready.body).toEqual({ status: 'ok', checks: { database: true, accepting: true, redis: true } });
    });

    it('keeps refusing the key revoked during the outage', async () => {
      expectEnvelope(await chat(chatbotId, doomedKey.key), 401, 'INVALID_API_KEY');
      expectEnvelope(await server.api(doomedKey.key).get('/api/v1/workspace'), 401, 'INVALID_API_KEY');
    });
  });
});
