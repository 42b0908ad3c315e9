import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabaseUrl, scaledOutAvailability } from '../helpers/databases.ts';
import { type FakeOpenAi, startFakeOpenAi } from '../helpers/fake-openai.ts';
import {
  killStartedServers,
  START_TIMEOUT_MS,
  startServer,
  waitForBaseUrl,
} from '../helpers/server-process.ts';
import { type ApiResponse, apiClient, eventually, postChat } from '../helpers/test-server.ts';

/** How long B may take to receive an invalidation: generous, and far below the caches' 60 s TTL. */
const INVALIDATION_BOUND_MS = 5000;

// Two real server processes behind one PostgreSQL schema and one Redis, as a scaled-out deployment runs them:
// whatever one instance decides (a rate limit, a charge, a revocation) holds on the other at once.

const { skipped, skipReason } = scaledOutAvailability();

const ADMIN_TOKEN = 'operator-token-multi-0123456789';
const TEST_TIMEOUT_MS = 30_000;

type Instance = { name: 'A' | 'B'; baseUrl: string };

describe.skipIf(skipped)(`two instances sharing PostgreSQL and Redis${skipReason}`, () => {
  let fake: FakeOpenAi;
  let database: { url: string; drop: () => Promise<void> } | undefined;
  let a: Instance;
  let b: Instance;
  /** Instance A for even indexes, B for odd ones: requests spread alternately over both. */
  const either = (index: number) => (index % 2 === 0 ? a : b);

  beforeAll(
    async () => {
      fake = await startFakeOpenAi();
      database = await createTestDatabaseUrl('postgres');
      const env = {
        DATABASE_URL: database.url,
        REDIS_URL: process.env.TEST_REDIS_URL as string,
        REDIS_KEY_PREFIX: `e2e-multi-${randomBytes(6).toString('hex')}:`,
        POLLYBOT_ADMIN_TOKEN: ADMIN_TOKEN,
        POLLYBOT_DEMO: 'false',
        LOG_LEVEL: 'warn',
        OPENAI_BASE_URL: fake.baseUrl,
        OPENAI_API_KEY: 'sk-upstream-multi',
        AI_PROVIDER_MAX_RETRIES: '0',
      };
      // The first runs the migrations; the second starts on the migrated schema.
      const first = startServer(env);
      a = { name: 'A', baseUrl: await waitForBaseUrl(first) };
      expect((await fetch(`${a.baseUrl}/readyz`)).status).toBe(200);
      const second = startServer(env);
      b = { name: 'B', baseUrl: await waitForBaseUrl(second) };
      expect((await fetch(`${b.baseUrl}/readyz`)).status).toBe(200);
    },
    START_TIMEOUT_MS * 2 + 5_000,
  );

  afterAll(async () => {
    await killStartedServers();
    await fake?.close();
    await database?.drop();
  });

  /** A workspace created through the operator API of the given instance. */
  async function createWorkspace(on: Instance, credits: number) {
    const response = await apiClient(on.baseUrl, ADMIN_TOKEN).post('/api/admin/workspaces', {
      name: `Multi-instance ${randomBytes(3).toString('hex')}`,
      credits,
    });
    expect(response.status).toBe(201);
    return {
      workspaceId: response.body.data.workspace.id as string,
      apiKey: response.body.data.apiKey as string,
    };
  }

  async function createChatbot(on: Instance, apiKey: string, fields: Record<string, unknown>) {
    const response = await apiClient(on.baseUrl, apiKey).post('/api/v1/chatbots', {
      name: 'Multi-instance bot',
      ...fields,
    });
    expect(response.status).toBe(201);
    return response.body.data.id as string;
  }

  /** A JSON chat request to the given instance, its body parsed. */
  async function chat(on: Instance, apiKey: string, chatbotId: string, body: Record<string, unknown>) {
    const response = await postChat(on.baseUrl, apiKey, chatbotId, { stream: false, ...body });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      body: JSON.parse(text),
      text,
    } as ApiResponse;
  }

  function countStatuses(responses: { status: number }[]) {
    const counts: Record<number, number> = {};
    for (const { status } of responses) counts[status] = (counts[status] ?? 0) + 1;
    return counts;
  }

  it(
    'shares one rate limit: of 40 simultaneous requests at a limit of 10, spread over both, exactly 10 pass',
    async () => {
      const { apiKey } = await createWorkspace(a, 1000);
      const chatbotId = await createChatbot(b, apiKey, { rateLimit: { requests: 10, windowSeconds: 60 } });

      const responses = await Promise.all(
        Array.from({ length: 40 }, (_, index) =>
          chat(either(index), apiKey, chatbotId, { message: `Request ${index}` }),
        ),
      );

      expect(countStatuses(responses)).toEqual({ 200: 10, 429: 30 });
      for (const response of responses) {
        expect(response.headers.get('x-ratelimit-limit')).toBe('10');
        if (response.status === 429) {
          expect(response.body).toMatchObject({ success: false, code: 'RATE_LIMIT_EXCEEDED' });
          expect(response.headers.get('retry-after')).toBe(String(response.body.retryAfter));
        }
      }
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'charges one balance: 30 simultaneous requests against 5 credits give 5 replies, 25 × 402, and a ledger summing to 0',
    async () => {
      const { apiKey, workspaceId } = await createWorkspace(b, 5);
      const chatbotId = await createChatbot(a, apiKey, { rateLimit: { requests: 1000, windowSeconds: 60 } });

      const responses = await Promise.all(
        Array.from({ length: 30 }, (_, index) =>
          chat(either(index), apiKey, chatbotId, { message: `Paid request ${index}` }),
        ),
      );

      expect(countStatuses(responses)).toEqual({ 200: 5, 402: 25 });
      for (const response of responses.filter(({ status }) => status === 402))
        expect(response.body).toMatchObject({ success: false, code: 'INSUFFICIENT_CREDITS' });
      for (const on of [a, b]) {
        const workspace = await apiClient(on.baseUrl, apiKey).get('/api/v1/workspace');
        expect(workspace.body.data.credits).toBe(0);
      }
      const client = new pg.Client({ connectionString: database?.url });
      await client.connect();
      try {
        const ledger = await client.query<{ total: string; rows: string }>(
          'select coalesce(sum(amount), 0) as total, count(*) as rows from credit_ledger where workspace_id = $1',
          [workspaceId],
        );
        const replies = await client.query<{ id: string }>(
          `select id from messages where workspace_id = $1 and role = 'assistant' and status = 'complete'`,
          [workspaceId],
        );
        expect(Number(ledger.rows[0]?.total)).toBe(0);
        // The grant, then one reservation per reply: refused requests leave no trace in the ledger.
        expect(Number(ledger.rows[0]?.rows)).toBe(6);
        expect(replies.rows.map((row) => row.id).sort()).toEqual(
          responses
            .filter(({ status }) => status === 200)
            .map((response) => response.body.data.messageId)
            .sort(),
        );
      } finally {
        await client.end();
      }
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'a key revoked through A is refused by B, which had just served it, once the invalidation arrives (long before its cache TTL)',
    async () => {
      const { apiKey } = await createWorkspace(a, 100);
      const created = await apiClient(a.baseUrl, apiKey).post('/api/v1/api-keys', { name: 'Short-lived' });
      expect(created.status).toBe(201);
      const { id: keyId, key: secondKey } = created.body.data as { id: string; key: string };
      // B serves the key (and keeps its lookup in memory); so does A.
      expect((await apiClient(b.baseUrl, secondKey).get('/api/v1/workspace')).status).toBe(200);
      expect((await apiClient(b.baseUrl, secondKey).get('/api/v1/workspace')).status).toBe(200);
      expect((await apiClient(a.baseUrl, secondKey).get('/api/v1/workspace')).status).toBe(200);

      const revoked = await apiClient(a.baseUrl, apiKey).delete(`/api/v1/api-keys/${keyId}`);
      expect(revoked.status).toBe(200);
      // Pub/sub reaches B asynchronously (milliseconds); the bound is far below the 60 s cache TTL, so a
      // refusal here comes from the invalidation, not from the entry expiring.
      let onB = await apiClient(b.baseUrl, secondKey).get('/api/v1/workspace');
      await eventually(async () => {
        onB = await apiClient(b.baseUrl, secondKey).get('/api/v1/workspace');
        return onB.status !== 200;
      }, INVALIDATION_BOUND_MS);

      expect(onB.status).toBe(401);
      expect(onB.body).toMatchObject({ success: false, code: 'INVALID_API_KEY' });
      expect((await apiClient(a.baseUrl, secondKey).get('/api/v1/workspace')).status).toBe(401);
      expect((await apiClient(b.baseUrl, apiKey).get('/api/v1/workspace')).status).toBe(200);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'a chatbot set inactive through A is refused 403 by B, which had just served it, once the invalidation arrives',
    async () => {
      const { apiKey } = await createWorkspace(b, 100);
      const chatbotId = await createChatbot(a, apiKey, {});
      expect((await chat(b, apiKey, chatbotId, { message: 'Hello B' })).status).toBe(200);
      expect((await chat(b, apiKey, chatbotId, { message: 'Hello again B' })).status).toBe(200);

      const patched = await apiClient(a.baseUrl, apiKey).patch(`/api/v1/chatbots/${chatbotId}`, {
        status: 'inactive',
      });
      expect(patched.status).toBe(200);
      let onB = await chat(b, apiKey, chatbotId, { message: 'Still there?' });
      await eventually(async () => {
        if (onB.status === 200) onB = await chat(b, apiKey, chatbotId, { message: 'Still there?' });
        return onB.status !== 200;
      }, INVALIDATION_BOUND_MS);

      expect(onB.status).toBe(403);
      expect(onB.body).toMatchObject({ success: false, code: 'CHATBOT_INACTIVE' });
      expect((await chat(a, apiKey, chatbotId, { message: 'And here?' })).status).toBe(403);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'a conversation started on A continues on B with its history, and B shows all four messages',
    async () => {
      const { apiKey } = await createWorkspace(a, 100);
      const chatbotId = await createChatbot(a, apiKey, {
        model: 'openai/gpt-multi',
        instructions: 'You answer briefly.',
      });
      fake.queue(
        { text: 'Paris is the capital of France.' },
        { text: 'About 2.1 million people live there.' },
      );
      const upstreamBefore = fake.requests.length;

      const first = await chat(a, apiKey, chatbotId, { message: 'What is the capital of France?' });
      expect(first.status).toBe(200);
      const { conversationId } = first.body.data as { conversationId: string };
      const second = await chat(b, apiKey, chatbotId, {
        message: 'How many people live there?',
        conversationId,
      });
      expect(second.status).toBe(200);
      expect(second.body.data).toMatchObject({
        response: 'About 2.1 million people live there.',
        conversationId,
      });

      const upstream = fake.requests.slice(upstreamBefore);
      expect(upstream).toHaveLength(2);
      const continued = upstream[1]?.body.messages.filter(
        (message) => message.role !== 'system' && message.role !== 'developer',
      );
      expect(continued).toEqual([
        { role: 'user', content: 'What is the capital of France?' },
        { role: 'assistant', content: 'Paris is the capital of France.' },
        { role: 'user', content: 'How many people live there?' },
      ]);

      const conversation = await apiClient(b.baseUrl, apiKey).get(
        `/api/v1/chatbots/${chatbotId}/conversations/${conversationId}`,
      );
      expect(conversation.status).toBe(200);
      expect(
        (conversation.body.data.messages as { role: string; content: string; status: string }[]).map(
          ({ role, content, status }) => ({ role, content, status }),
        ),
      ).toEqual([
        { role: 'user', content: 'What is the capital of France?', status: 'complete' },
        { role: 'assistant', content: 'Paris is the capital of France.', status: 'complete' },
        { role: 'user', content: 'How many people live there?', status: 'complete' },
        { role: 'assistant', content: 'About 2.1 million people live there.', status: 'complete' },
      ]);
      expect(conversation.body.data.messages[1].id).toBe(first.body.data.messageId);
      expect(conversation.body.data.messages[3].id).toBe(second.body.data.messageId);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'a reply generated on A is polled and cancelled through B, and a client that leaves A does not stop it',
    async () => {
      const { apiKey } = await createWorkspace(a, 10);
      const chatbotId = await createChatbot(a, apiKey, { model: 'openai/gpt-test' });
      const words = Array.from({ length: 30 }, (_, index) => `word${index}`).join(' ');
      let release = () => {};
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      fake.queue({ text: words, pauseAfterChunks: { count: 5, until: held } });
      const client = new AbortController();
      const response = await postChat(
        a.baseUrl,
        apiKey,
        chatbotId,
        { message: 'Go on', stream: true },
        client.signal,
      );
      const reader = response.body?.getReader();
      let text = '';
      while (!text.includes('event: delta')) {
        const chunk = await reader?.read();
        if (!chunk || chunk.done) throw new Error(`stream ended early: ${text}`);
        text += new TextDecoder().decode(chunk.value);
      }
      const { conversationId, messageId } = JSON.parse(/event: start\ndata: (.+)\n/.exec(text)?.[1] ?? '{}');
      // The client leaves A; the reply goes on.
      client.abort();
      const path = `/api/v1/chatbots/${chatbotId}/conversations/${conversationId}/messages/${messageId}`;
      const onB = apiClient(b.baseUrl, apiKey);
      await eventually(async () => (await onB.get(path)).body.data.content.length > 0);
      expect((await onB.get(path)).body.data.status).toBe('generating');

      const cancelled = await onB.post(`${path}/cancel`);

      expect(cancelled.status).toBe(202);
      await eventually(async () => (await onB.get(path)).body.data.status === 'incomplete');
      const stored = (await onB.get(path)).body.data;
      expect(words.startsWith(stored.content)).toBe(true);
      expect(stored.content.length).toBeGreaterThan(0);
      expect(stored.usage).toMatchObject({ credits: 1 });
      release();
    },
    TEST_TIMEOUT_MS,
  );
});
