import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sumLedger } from '../../src/db/credits.repository.ts';
import { type FakeOpenAi, startFakeOpenAi } from '../helpers/fake-openai.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';

let fake: FakeOpenAi;
let server: TestServer;

beforeAll(async () => {
  fake = await startFakeOpenAi();
  server = await startTestServer({
    OPENAI_BASE_URL: fake.baseUrl,
    OPENAI_API_KEY: 'sk-upstream-test',
    POLLYBOT_MODEL_PRICES: '{"openai/gpt-pricey":3}',
  });
});

afterAll(async () => {
  await server.close();
  await fake.close();
});

beforeEach(() => {
  fake.requests.length = 0;
  fake.defaultReply = { text: 'Hello from the fake model.' };
});

async function balanceOf(apiKey: string): Promise<number> {
  const response = await server.api(apiKey).get('/api/v1/workspace');
  expect(response.status).toBe(200);
  return response.body.data.credits;
}

async function heldReservations(workspaceId: string): Promise<number> {
  const rows = await server.services.db
    .selectFrom('credit_reservations')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('status', '=', 'held')
    .execute();
  return rows.length;
}

describe('workspace credits', () => {
  it('lets exactly as many simultaneous requests through as the balance pays for, and refuses the rest with 402', async () => {
    const { apiKey, workspaceId } = await server.createWorkspace(5);
    const bot = await server.createChatbot(apiKey, { model: 'openai/gpt-test' });

    const responses = await Promise.all(
      Array.from({ length: 30 }, () =>
        server.api(apiKey).post(`/api/v1/chatbots/${bot.id}/chat`, { message: 'Hello' }),
      ),
    );

    expect(responses.filter((response) => response.status === 200)).toHaveLength(5);
    const refused = responses.filter((response) => response.status === 402);
    expect(refused).toHaveLength(25);
    for (const response of refused) {
      expect(response.body).toMatchObject({
        success: false,
        code: 'INSUFFICIENT_CREDITS',
        error: expect.any(String),
      });
    }
    expect(fake.requests).toHaveLength(5);
    expect(await balanceOf(apiKey)).toBe(0);
    expect(await sumLedger(server.services.db, workspaceId)).toBe(0);
    expect(await heldReservations(workspaceId)).toBe(0);
  });

  it('answers 402 INSUFFICIENT_CREDITS before any provider call when the balance is empty', async () => {
    const { apiKey, workspaceId } = await server.createWorkspace(0);
    const bot = await server.createChatbot(apiKey, { model: 'openai/gpt-test' });

    const response = await server.api(apiKey).post(`/api/v1/chatbots/${bot.id}/chat`, { message: 'Hello' });

    expect(response.status).toBe(402);
    expect(response.body).toMatchObject({ success: false, code: 'INSUFFICIENT_CREDITS' });
    expect(response.headers.get('x-ratelimit-limit')).toBe('60');
    expect(fake.requests).toHaveLength(0);
    expect(await balanceOf(apiKey)).toBe(0);
    expect(await sumLedger(server.services.db, workspaceId)).toBe(0);
    // Nothing was stored either: the conversation list stays empty.
    const conversations = await server.api(apiKey).get(`/api/v1/chatbots/${bot.id}/conversations`);
    expect(conversations.body.data).toEqual([]);
  });

  it('charges nothing and answers 502 when the provider fails', async () => {
    const { apiKey, workspaceId } = await server.createWorkspace(4);
    const bot = await server.createChatbot(apiKey, { model: 'openai/gpt-test' });
    fake.queue({ status: 500 });

    const response = await server.api(apiKey).post(`/api/v1/chatbots/${bot.id}/chat`, { message: 'Hello' });

    expect(response.status).toBe(502);
    expect(response.body).toMatchObject({ success: false, code: 'AI_PROVIDER_ERROR' });
    expect(fake.requests).toHaveLength(1);
    expect(await balanceOf(apiKey)).toBe(4);
    expect(await sumLedger(server.services.db, workspaceId)).toBe(4);
    expect(await heldReservations(workspaceId)).toBe(0);
  });

  it('charges nothing when the provider fails after a streamed reply started', async () => {
    const { apiKey, workspaceId } = await server.createWorkspace(4);
    const bot = await server.createChatbot(apiKey, { model: 'openai/gpt-test' });
    fake.queue({ text: 'this answer breaks half way', failAfterChunks: { count: 2, how: 'error-chunk' } });

    const response = await server.chat(apiKey, bot.id, { message: 'Hello', stream: true });
    const text = await response.text();

    expect(text).toContain('event: error');
    expect(await balanceOf(apiKey)).toBe(4);
    expect(await sumLedger(server.services.db, workspaceId)).toBe(4);
  });

  it('charges a configured model price: POLLYBOT_MODEL_PRICES sets 3 credits per response', async () => {
    const { apiKey, workspaceId } = await server.createWorkspace(10);
    const bot = await server.createChatbot(apiKey, { model: 'openai/gpt-pricey' });

    const response = await server.api(apiKey).post(`/api/v1/chatbots/${bot.id}/chat`, { message: 'Hello' });

    expect(response.status).toBe(200);
    expect(response.body.data.usage.credits).toBe(3);
    expect(await balanceOf(apiKey)).toBe(7);
    expect(await sumLedger(server.services.db, workspaceId)).toBe(7);
  });

  it('refuses a priced model with 402 when the balance is below its price, without calling the provider', async () => {
    const { apiKey, workspaceId } = await server.createWorkspace(2);
    const bot = await server.createChatbot(apiKey, { model: 'openai/gpt-pricey' });

    const response = await server.api(apiKey).post(`/api/v1/chatbots/${bot.id}/chat`, { message: 'Hello' });

    expect(response.status).toBe(402);
    expect(response.body).toMatchObject({ success: false, code: 'INSUFFICIENT_CREDITS' });
    expect(fake.requests).toHaveLength(0);
    expect(await balanceOf(apiKey)).toBe(2);
    expect(await sumLedger(server.services.db, workspaceId)).toBe(2);
  });

  it('keeps the balance equal to the sum of its ledger rows through charges, failures and refusals', async () => {
    const { apiKey, workspaceId } = await server.createWorkspace(7);
    const cheap = await server.createChatbot(apiKey, { model: 'openai/gpt-test' });
    const pricey = await server.createChatbot(apiKey, { model: 'openai/gpt-pricey' });
    fake.queue({ text: 'ok' }, { status: 500 }, { text: 'ok' }, { text: 'ok' });
    const client = server.api(apiKey);

    const statuses = [];
    for (const bot of [pricey, cheap, cheap, pricey, pricey]) {
      statuses.push((await client.post(`/api/v1/chatbots/${bot.id}/chat`, { message: 'Hi' })).status);
    }

    // 7 - 3 (pricey) - 0 (failed) - 1 (cheap) - 3 (pricey) = 0, then the last pricey one is refused.
    expect(statuses).toEqual([200, 502, 200, 200, 402]);
    expect(await balanceOf(apiKey)).toBe(0);
    expect(await sumLedger(server.services.db, workspaceId)).toBe(0);
  });
});

describe('X-Credits-Remaining', () => {
  it('carries the balance after the charge on a JSON reply, and with the price held on a stream', async () => {
    const { apiKey } = await server.createWorkspace(10);
    const chatbot = await server.createChatbot(apiKey, { model: 'openai/gpt-pricey' });

    const json = await server.chat(apiKey, chatbot.id, { message: 'Hi', stream: false });
    await json.text();
    expect(json.status).toBe(200);
    expect(json.headers.get('x-credits-remaining')).toBe('7');

    const stream = await server.chat(apiKey, chatbot.id, { message: 'Hi', stream: true });
    expect(stream.headers.get('content-type')).toContain('text/event-stream');
    expect(stream.headers.get('x-credits-remaining')).toBe('4');
    await stream.text();
    expect(await balanceOf(apiKey)).toBe(4);
  });

  it('carries the balance on refusals and failures: 402, 429, 404 conversation, 400, and a refunded 502', async () => {
    const { apiKey } = await server.createWorkspace(2);
    const priced = await server.createChatbot(apiKey, { model: 'openai/gpt-pricey' });
    const limited = await server.createChatbot(apiKey, { rateLimit: { requests: 1, windowSeconds: 60 } });
    const client = server.api(apiKey);

    const refused = await client.post(`/api/v1/chatbots/${priced.id}/chat`, { message: 'Hi' });
    expect([refused.status, refused.headers.get('x-credits-remaining')]).toEqual([402, '2']);

    await client.post(`/api/v1/chatbots/${limited.id}/chat`, { message: 'Hi' });
    const limitedOut = await client.post(`/api/v1/chatbots/${limited.id}/chat`, { message: 'Hi' });
    expect([limitedOut.status, limitedOut.headers.get('x-credits-remaining')]).toEqual([429, '1']);

    const unknown = await client.post(`/api/v1/chatbots/${priced.id}/chat`, {
      message: 'Hi',
      conversationId: 'no-such-conversation',
    });
    expect([unknown.status, unknown.headers.get('x-credits-remaining')]).toEqual([404, '1']);

    const invalid = await client.post(`/api/v1/chatbots/${priced.id}/chat`, { message: '' });
    expect([invalid.status, invalid.headers.get('x-credits-remaining')]).toEqual([400, '1']);

    const openai = await server.createChatbot(apiKey, { model: 'openai/gpt-test' });
    fake.queue({ status: 500 });
    const failed = await client.post(`/api/v1/chatbots/${openai.id}/chat`, { message: 'Hi' });
    expect([failed.status, failed.headers.get('x-credits-remaining')]).toEqual([502, '1']);
  });

  it('is absent when the key is not accepted: no workspace to speak of', async () => {
    const response = await server.chat('sk-workspace_unknown', 'anything', { message: 'Hi' });

    expect(response.status).toBe(401);
    expect(response.headers.has('x-credits-remaining')).toBe(false);
  });
});
