import { randomBytes } from 'node:crypto';
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

// Two server processes behind one PostgreSQL schema and one Redis: a reply generated on one instance can be
// resumed and replayed on the other, and a retried request is generated once wherever its repeats land.

const { skipped, skipReason } = scaledOutAvailability();

const ADMIN_TOKEN = 'operator-token-replies-0123456789';
const TEST_TIMEOUT_MS = 30_000;
const WORDS = Array.from({ length: 40 }, (_, index) => `word${index}`).join(' ');

describe.skipIf(skipped)(`replies across two instances${skipReason}`, () => {
  let fake: FakeOpenAi;
  let database: { url: string; drop: () => Promise<void> } | undefined;
  let a: string;
  let b: string;

  beforeAll(
    async () => {
      fake = await startFakeOpenAi();
      database = await createTestDatabaseUrl('postgres');
      const env = {
        DATABASE_URL: database.url,
        REDIS_URL: process.env.TEST_REDIS_URL as string,
        REDIS_KEY_PREFIX: `e2e-replies-${randomBytes(6).toString('hex')}:`,
        POLLYBOT_ADMIN_TOKEN: ADMIN_TOKEN,
        POLLYBOT_DEMO: 'false',
        LOG_LEVEL: 'warn',
        OPENAI_BASE_URL: fake.baseUrl,
        OPENAI_API_KEY: 'sk-upstream-replies',
        AI_PROVIDER_MAX_RETRIES: '0',
      };
      // The first runs the migrations; the second starts on the migrated schema.
      a = await waitForBaseUrl(startServer(env));
      b = await waitForBaseUrl(startServer(env));
    },
    START_TIMEOUT_MS * 2 + 5_000,
  );

  afterAll(async () => {
    await killStartedServers();
    await fake?.close();
    await database?.drop();
  });

  async function setUp(credits: number) {
    const created = await apiClient(a, ADMIN_TOKEN).post('/api/admin/workspaces', {
      name: `Replies ${randomBytes(3).toString('hex')}`,
      credits,
    });
    expect(created.status).toBe(201);
    const apiKey = created.body.data.apiKey as string;
    const chatbot = await apiClient(b, apiKey).post('/api/v1/chatbots', {
      name: 'Replies bot',
      model: 'openai/gpt-test',
    });
    expect(chatbot.status).toBe(201);
    const balance = async () => (await apiClient(b, apiKey).get('/api/v1/workspace')).body.data.credits;
    return { apiKey, chatbotId: chatbot.body.data.id as string, balance };
  }

  it(
    'a client that drops its stream on A after the first delta resumes on B and receives exactly the rest',
    async () => {
      const { apiKey, chatbotId, balance } = await setUp(10);
      const held = deferred();
      const before = fake.requests.length;
      fake.queue({ text: WORDS, pauseAfterChunks: { count: 3, until: held.promise }, interTokenDelayMs: 2 });

      const controller = new AbortController();
      const response = await postChat(
        a,
        apiKey,
        chatbotId,
        { message: 'Tell me', stream: true },
        controller.signal,
      );
      const seen = await readSseUntil(response, (event) => event.event === 'delta', controller);
      const { conversationId, messageId } = (seen[0] as SseEvent).data as {
        conversationId: string;
        messageId: string;
      };
      const path = `/api/v1/chatbots/${chatbotId}/conversations/${conversationId}/messages/${messageId}`;
      const resumed = apiClient(b, apiKey).get(`${path}/stream`, {
        'last-event-id': seen.at(-1)?.id as string,
      });
      // B follows A's journal while A is still held mid-reply, then receives the rest live.
      await eventually(async () => (await apiClient(b, apiKey).get(path)).body.data.content.length > 0);
      held.resolve();
      const rest = await resumed;
      const events = eventsOnly(parseSse(rest.text));

      expect(rest.status).toBe(200);
      expect(deltaText(seen) + deltaText(events)).toBe(WORDS);
      expect(events.at(-1)).toMatchObject({
        event: 'done',
        id: `${WORDS.length}-end`,
        data: { success: true, data: { response: WORDS, messageId, usage: { credits: 1 } } },
      });
      const stored = await apiClient(a, apiKey).get(path);
      expect(stored.body.data).toMatchObject({ status: 'complete', content: WORDS });
      expect(fake.requests.length).toBe(before + 1);
      expect(await balance()).toBe(9);

      // Once it has ended, B replays it at once: start, the whole text, done.
      const replay = eventsOnly(parseSse((await apiClient(b, apiKey).get(`${path}/stream`)).text));
      expect(replay.map((event) => event.event)).toEqual(['start', 'delta', 'done']);
      expect(deltaText(replay)).toBe(WORDS);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'repeats of one Idempotency-Key arriving together on A and B are generated and charged once',
    async () => {
      const { apiKey, chatbotId, balance } = await setUp(10);
      const before = fake.requests.length;
      const send = (on: string) =>
        apiClient(on, apiKey).post(
          `/api/v1/chatbots/${chatbotId}/chat`,
          { message: 'Only once', stream: false },
          { 'idempotency-key': 'order-4711' },
        );

      const responses = await Promise.all([send(a), send(b), send(a), send(b)]);

      expect(responses.map((response) => response.status)).toEqual([200, 200, 200, 200]);
      expect(new Set(responses.map((response) => response.body.data.messageId)).size).toBe(1);
      expect(new Set(responses.map((response) => response.text)).size).toBe(1);
      expect(
        responses.filter((response) => response.headers.get('idempotent-replayed') === 'true'),
      ).toHaveLength(3);
      expect(fake.requests.length).toBe(before + 1);
      expect(await balance()).toBe(9);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'a streamed repeat on B of a reply still generated on A replays the same stream, live',
    async () => {
      const { apiKey, chatbotId, balance } = await setUp(10);
      const held = deferred();
      const before = fake.requests.length;
      fake.queue({ text: WORDS, pauseAfterChunks: { count: 5, until: held.promise } });
      const sendWithKey = (on: string) =>
        fetch(`${on}/api/v1/chatbots/${chatbotId}/chat`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${apiKey}`,
            'content-type': 'application/json',
            'idempotency-key': 'stream-42',
          },
          body: JSON.stringify({ message: 'Stream once', stream: true }),
        }).then(async (response) => ({ response, events: eventsOnly(parseSse(await response.text())) }));

      const first = sendWithKey(a);
      await eventually(() => fake.requests.length === before + 1);
      const repeat = sendWithKey(b);
      await new Promise((resolve) => setTimeout(resolve, 200));
      held.resolve();
      const [original, replayed] = await Promise.all([first, repeat]);

      expect(replayed.response.headers.get('idempotent-replayed')).toBe('true');
      expect(deltaText(original.events)).toBe(WORDS);
      expect(deltaText(replayed.events)).toBe(WORDS);
      expect(replayed.events.at(-1)?.data).toEqual(original.events.at(-1)?.data);
      expect(fake.requests.length).toBe(before + 1);
      expect(await balance()).toBe(9);
    },
    TEST_TIMEOUT_MS,
  );
});
