import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabaseUrl, scaledOutAvailability } from '../helpers/databases.ts';
import { deferred } from '../helpers/deferred.ts';
import { type FakeOpenAi, startFakeOpenAi } from '../helpers/fake-openai.ts';
import {
  killStartedServers,
  START_TIMEOUT_MS,
  startServer,
  waitForBaseUrl,
} from '../helpers/server-process.ts';
import { deltaText, eventsOnly, parseSse, readSseUntil, type SseEvent } from '../helpers/sse.ts';
import { apiClient, eventually, postChat } from '../helpers/test-server.ts';

// An instance killed outright (SIGKILL) in the middle of a reply can no longer end it: its lease, which it
// renewed while it lived, runs out and another instance (or the same one, started again) ends the reply
// `incomplete` with the text it has, gives its credits back and sends the terminal event to whoever follows
// its stream. A short lease keeps the wait short; nothing below measures time.

const ADMIN_TOKEN = 'operator-token-leases-0123456789';
const REPLY_LEASE_MS = 3000;
/** Bounds on waiting for the lease to run out and the sweep to see it, however slow the machine. */
const ENDING_TIMEOUT_MS = 30_000;
const TEST_TIMEOUT_MS = START_TIMEOUT_MS * 2 + ENDING_TIMEOUT_MS + 10_000;
const WORDS = Array.from({ length: 30 }, (_, index) => `word${index}`).join(' ');

type Reply = { conversationId: string; messageId: string; path: string; seen: SseEvent[] };

let fake: FakeOpenAi;
/** Holds every paused upstream answer until the file's tests are over. */
const upstreamHeld = deferred();

beforeAll(async () => {
  fake = await startFakeOpenAi();
});

afterAll(async () => {
  upstreamHeld.resolve();
  await killStartedServers();
  await fake?.close();
});

function baseEnvironment(): Record<string, string> {
  return {
    POLLYBOT_ADMIN_TOKEN: ADMIN_TOKEN,
    POLLYBOT_DEMO: 'false',
    LOG_LEVEL: 'warn',
    OPENAI_BASE_URL: fake.baseUrl,
    OPENAI_API_KEY: 'sk-upstream-leases',
    AI_PROVIDER_MAX_RETRIES: '0',
    POLLYBOT_REPLY_LEASE_MS: String(REPLY_LEASE_MS),
  };
}

async function setUp(baseUrl: string, credits: number) {
  const created = await apiClient(baseUrl, ADMIN_TOKEN).post('/api/admin/workspaces', {
    name: `Leases ${randomBytes(3).toString('hex')}`,
    credits,
  });
  expect(created.status).toBe(201);
  const apiKey = created.body.data.apiKey as string;
  const chatbot = await apiClient(baseUrl, apiKey).post('/api/v1/chatbots', {
    name: 'Leases bot',
    model: 'openai/gpt-test',
  });
  expect(chatbot.status).toBe(201);
  return { apiKey, chatbotId: chatbot.body.data.id as string };
}

/**
 * Starts a streamed reply that the upstream holds after its first words (until `until`), and reads it until
 * its stored text has some of them: the reply is `generating`, mid-text, on that instance.
 */
async function startHeldReply(
  baseUrl: string,
  apiKey: string,
  chatbotId: string,
  until: Promise<unknown> = upstreamHeld.promise,
): Promise<Reply> {
  fake.queue({ text: WORDS, pauseAfterChunks: { count: 4, until }, interTokenDelayMs: 2 });
  const controller = new AbortController();
  const response = await postChat(
    baseUrl,
    apiKey,
    chatbotId,
    { message: 'Tell me', stream: true },
    controller.signal,
  );
  expect(response.status).toBe(200);
  const seen = await readSseUntil(response, (event) => event.event === 'delta', controller);
  const { conversationId, messageId } = (seen[0] as SseEvent).data as {
    conversationId: string;
    messageId: string;
  };
  const path = `/api/v1/chatbots/${chatbotId}/conversations/${conversationId}/messages/${messageId}`;
  await eventually(async () => {
    const message = await apiClient(baseUrl, apiKey).get(path);
    return message.body.data.status === 'generating' && message.body.data.content.length > 0;
  }, 10_000);
  return { conversationId, messageId, path, seen };
}

/** Polls the message on `baseUrl` until it is no longer `generating`, and answers it. */
async function waitForEnd(baseUrl: string, apiKey: string, path: string) {
  let message: { status: string; content: string; usage: unknown } | undefined;
  await eventually(async () => {
    message = (await apiClient(baseUrl, apiKey).get(path)).body.data;
    return message?.status !== 'generating';
  }, ENDING_TIMEOUT_MS);
  return message as { status: string; content: string; usage: unknown };
}

/** Asserts what a follower of the reply's stream received: the text after its position, then `done`. */
function expectFollowerEnded(
  follower: { status: number; text: string },
  alreadySeen: string,
  ended: { content: string },
  messageId: string,
) {
  expect(follower.status).toBe(200);
  const events = eventsOnly(parseSse(follower.text));
  expect(alreadySeen + deltaText(events)).toBe(ended.content);
  expect(events.at(-1)).toMatchObject({
    id: `${ended.content.length}-end`,
    event: 'done',
    data: { success: true, data: { response: ended.content, messageId, usage: { credits: 0 } } },
  });
}

describe.skipIf(scaledOutAvailability().skipped)(
  `a reply whose instance was killed, with two instances on PostgreSQL and Redis${scaledOutAvailability().skipReason}`,
  () => {
    let database: { url: string; drop: () => Promise<void> } | undefined;
    let client: pg.Client | undefined;
    let environment: Record<string, string>;

    beforeAll(async () => {
      database = await createTestDatabaseUrl('postgres');
      client = new pg.Client({ connectionString: database.url });
      await client.connect();
      environment = {
        ...baseEnvironment(),
        DATABASE_URL: database.url,
        REDIS_URL: process.env.TEST_REDIS_URL as string,
        REDIS_KEY_PREFIX: `e2e-leases-${randomBytes(6).toString('hex')}:`,
      };
    }, START_TIMEOUT_MS);

    afterAll(async () => {
      await killStartedServers();
      await client?.end();
      await database?.drop();
    });

    it(
      'is ended by the surviving instance: incomplete with its text, not charged, and its follower there gets done',
      async () => {
        const killed = startServer(environment);
        const a = await waitForBaseUrl(killed);
        const b = await waitForBaseUrl(startServer(environment));
        const { apiKey, chatbotId } = await setUp(a, 10);
        const reply = await startHeldReply(a, apiKey, chatbotId);
        // A client following the reply's stream on B, from where its first connection dropped.
        const follower = apiClient(b, apiKey).get(`${reply.path}/stream`, {
          'last-event-id': reply.seen.at(-1)?.id as string,
        });
        await eventually(
          async () => (await apiClient(b, apiKey).get('/api/v1/workspace')).body.data.credits === 9,
        );

        killed.signal('SIGKILL');
        expect((await killed.waitForExit()).signal).toBe('SIGKILL');
        const ended = await waitForEnd(b, apiKey, reply.path);

        expect(ended.status).toBe('incomplete');
        expect(ended.content.length).toBeGreaterThan(0);
        expect(WORDS.startsWith(ended.content)).toBe(true);
        expect(ended.usage).toBeNull();
        expectFollowerEnded(await follower, deltaText(reply.seen), ended, reply.messageId);
        // Not charged: the credits it held are back.
        expect((await apiClient(b, apiKey).get('/api/v1/workspace')).body.data.credits).toBe(10);
      },
      TEST_TIMEOUT_MS,
    );

    it(
      'a slow reply whose instance lives is never ended by the other: its lease is renewed until it completes',
      async () => {
        const a = await waitForBaseUrl(startServer(environment));
        const b = await waitForBaseUrl(startServer(environment));
        const { apiKey, chatbotId } = await setUp(a, 10);
        const slow = deferred();
        try {
          const reply = await startHeldReply(a, apiKey, chatbotId, slow.promise);
          const leaseOf = async () =>
            (
              await client?.query<{ lease_expires_at: string }>(
                'select lease_expires_at from messages where id = $1',
                [reply.messageId],
              )
            )?.rows[0]?.lease_expires_at as string;
          // The upstream stays silent while the lease is renewed past three whole leases: without renewals B
          // would have ended the reply long before.
          const first = Date.parse(await leaseOf());
          await eventually(
            async () => Date.parse(await leaseOf()) > first + 3 * REPLY_LEASE_MS,
            ENDING_TIMEOUT_MS,
          );
          expect((await apiClient(b, apiKey).get(reply.path)).body.data.status).toBe('generating');

          slow.resolve();
          const ended = await waitForEnd(b, apiKey, reply.path);

          expect(ended).toMatchObject({ status: 'complete', content: WORDS, usage: { credits: 1 } });
        } finally {
          slow.resolve();
        }
      },
      TEST_TIMEOUT_MS,
    );
  },
);

describe('a reply whose instance was killed, on SQLite, started again', () => {
  const directory = mkdtempSync(join(tmpdir(), 'pollybot-e2e-leases-'));

  afterAll(() => {
    rmSync(directory, { recursive: true, force: true });
  });

  it(
    'is ended by the restarted instance: incomplete with its stored text, not charged, and its follower gets done',
    async () => {
      const environment = { ...baseEnvironment(), DATABASE_URL: `sqlite:${join(directory, 'db.sqlite')}` };
      const killed = startServer(environment);
      const first = await waitForBaseUrl(killed);
      const { apiKey, chatbotId } = await setUp(first, 10);
      const reply = await startHeldReply(first, apiKey, chatbotId);
      const stored = (await apiClient(first, apiKey).get(reply.path)).body.data.content as string;

      killed.signal('SIGKILL');
      expect((await killed.waitForExit()).signal).toBe('SIGKILL');
      const restarted = await waitForBaseUrl(startServer(environment));
      // The journal died with the process: the follower reads the stored message until it has an end.
      const follower = apiClient(restarted, apiKey).get(`${reply.path}/stream`, { 'last-event-id': '0' });
      const ended = await waitForEnd(restarted, apiKey, reply.path);

      expect(ended.status).toBe('incomplete');
      expect(ended.content.startsWith(stored)).toBe(true);
      expect(WORDS.startsWith(ended.content)).toBe(true);
      expect(ended.usage).toBeNull();
      expectFollowerEnded(await follower, '', ended, reply.messageId);
      expect((await apiClient(restarted, apiKey).get('/api/v1/workspace')).body.data.credits).toBe(10);
    },
    TEST_TIMEOUT_MS,
  );
});
