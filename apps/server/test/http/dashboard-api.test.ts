import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeOpenAi, startFakeOpenAi } from '../helpers/fake-openai.ts';
import { type ApiResponse, startTestServer, type TestServer } from '../helpers/test-server.ts';

// A clock the tests set: usage is counted per UTC day and the inbox orders by activity time, so every
// message is stored at a time the test chose.
const TODAY_NOON = Date.parse('2025-03-10T12:00:00.000Z');
let now = TODAY_NOON;
const clock = { now: () => new Date(now) };
const at = (iso: string) => {
  now = Date.parse(iso);
};

let fake: FakeOpenAi;
let server: TestServer;

beforeAll(async () => {
  fake = await startFakeOpenAi();
  server = await startTestServer(
    { OPENAI_BASE_URL: fake.baseUrl, POLLYBOT_MODEL_PRICES: '{"local/premium": 3}' },
    { clock },
  );
});

afterAll(async () => {
  await server.close();
  await fake.close();
});

function expectFailure(response: ApiResponse, status: number, code: string): void {
  expect(response.status, response.text).toBe(status);
  expect(response.body).toMatchObject({ success: false, code });
}

/** Sends one chat message and answers the conversation's id. */
async function chat(
  apiKey: string,
  chatbotId: string,
  message: string,
  fields: Record<string, unknown> = {},
) {
  const response = await server
    .api(apiKey)
    .post(`/api/v1/chatbots/${chatbotId}/chat`, { message, ...fields });
  expect([200, 502], response.text).toContain(response.status);
  return (response.body.data?.conversationId ?? response.body.conversationId) as string;
}

/** Follows `nextCursor` from the first page to the last, keeping every item. */
async function readAllPages(apiKey: string, path: string, limit: number) {
  const items: { id: string }[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const separator = path.includes('?') ? '&' : '?';
    const query: string = `${separator}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const page: ApiResponse = await server.api(apiKey).get(`${path}${query}`);
    expect(page.status, page.text).toBe(200);
    expect(page.body.data.length).toBeLessThanOrEqual(limit);
    items.push(...page.body.data);
    cursor = page.body.nextCursor;
    if (++pages > 20) throw new Error('pagination never ended');
  } while (cursor !== null);
  return { items, pages };
}

describe('GET /api/v1/models', () => {
  it('lists every provider, whether it is configured, suggested names, and the default model', async () => {
    const defaults = await startTestServer();
    try {
      const { apiKey } = await defaults.createWorkspace();

      const response = await defaults.api(apiKey).get('/api/v1/models');

      expect(response.status, response.text).toBe(200);
      const { providers, default: defaultModel } = response.body.data;
      expect(defaultModel).toBe('local/pollybot');
      expect(providers.map((provider: { id: string }) => provider.id)).toEqual([
        'openai',
        'anthropic',
        'ollama',
        'local',
      ]);
      expect(providers).toContainEqual({ id: 'local', configured: true, models: ['pollybot'] });
      expect(providers).toContainEqual(expect.objectContaining({ id: 'openai', configured: false }));
      expect(providers).toContainEqual(expect.objectContaining({ id: 'anthropic', configured: false }));
      for (const provider of providers) {
        expect(provider.models.length).toBeGreaterThan(0);
        for (const name of provider.models) expect(name).not.toContain(`${provider.id}/`);
      }
    } finally {
      await defaults.close();
    }
  });

  it('puts the configured default and every separately priced model first in its provider’s list', async () => {
    const custom = await startTestServer({
      OPENAI_API_KEY: 'sk-test-not-used',
      ANTHROPIC_API_KEY: 'sk-ant-test-not-used',
      POLLYBOT_DEFAULT_MODEL: 'openai/house-model',
      POLLYBOT_MODEL_PRICES: '{"ollama/phi4": 2, "anthropic/*": 3, "openai/gpt-4o": 5}',
    });
    try {
      const { apiKey } = await custom.createWorkspace();

      const { providers, default: defaultModel } = (await custom.api(apiKey).get('/api/v1/models')).body.data;

      const byId = Object.fromEntries(providers.map((provider: { id: string }) => [provider.id, provider]));
      expect(defaultModel).toBe('openai/house-model');
      expect(byId.openai.configured).toBe(true);
      expect(byId.anthropic.configured).toBe(true);
      expect(byId.openai.models.slice(0, 2)).toEqual(['house-model', 'gpt-4o']);
      expect(byId.openai.models.filter((name: string) => name === 'gpt-4o')).toHaveLength(1);
      expect(byId.ollama.models[0]).toBe('phi4');
      expect(byId.anthropic.models).not.toContain('*');
    } finally {
      await custom.close();
    }
  });
});

describe('GET /api/v1/conversations (the inbox)', () => {
  let apiKey: string;
  let support: { id: string };
  let sales: { id: string };
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    ({ apiKey } = await server.createWorkspace(1000, 'Inbox workspace'));
    support = await server.createChatbot(apiKey, { name: 'Support' });
    sales = await server.createChatbot(apiKey, { name: 'Sales' });
    at('2025-03-01T09:00:00.000Z');
    ids.discount = await chat(apiKey, support.id, 'Is there a Discount of 100% off?', {
      metadata: { userId: 'customer-7' },
    });
    at('2025-03-05T09:00:00.000Z');
    ids.percent = await chat(apiKey, sales.id, 'I want 100 percent of my money back', {
      metadata: { userId: 'customer-8' },
    });
    at('2025-03-07T09:00:00.000Z');
    await chat(apiKey, sales.id, 'Any news?', { conversationId: ids.percent });
    at('2025-03-08T09:00:00.000Z');
    ids.snake = await chat(apiKey, support.id, 'my variable is snake_case', { metadata: { userId: 42 } });
    at('2025-03-09T09:00:00.000Z');
    ids.camel = await chat(apiKey, support.id, 'mine is snakeXcase, and my path is C:\\temp', {
      metadata: { userId: 'Customer-7' },
    });
    now = TODAY_NOON;
    // Another workspace's conversation, which the inbox must never show.
    const other = await server.createWorkspace(100, 'Elsewhere');
    const otherBot = await server.createChatbot(other.apiKey, { name: 'Elsewhere bot' });
    ids.foreign = await chat(other.apiKey, otherBot.id, 'Discount 100% snake_case', {
      metadata: { userId: 'customer-7' },
    });
  });

  const inbox = async (query = '') => {
    const response = await server.api(apiKey).get(`/api/v1/conversations${query}`);
    expect(response.status, response.text).toBe(200);
    return response.body as { data: { id: string; [field: string]: unknown }[]; nextCursor: string | null };
  };
  const idsOf = async (query: string) => (await inbox(query)).data.map((conversation) => conversation.id);

  it('lists the workspace’s conversations across chatbots, latest activity first, with count and the user’s last message', async () => {
    const page = await inbox();

    expect(page.data.map((conversation) => conversation.id)).toEqual([
      ids.camel,
      ids.snake,
      ids.percent,
      ids.discount,
    ]);
    expect(page.nextCursor).toBeNull();
    const percent = page.data.find((conversation) => conversation.id === ids.percent);
    expect(percent).toEqual({
      id: ids.percent,
      chatbotId: sales.id,
      chatbotName: 'Sales',
      createdAt: '2025-03-05T09:00:00.000Z',
      updatedAt: '2025-03-07T09:00:00.000Z',
      messageCount: 4,
      channel: 'api',
      visitor: null,
      // The preview is what the person asked last, not the bot's reply after it.
      lastMessage: { role: 'user', content: 'Any news?', createdAt: '2025-03-07T09:00:00.000Z' },
    });
  });

  it('filters by chatbot; another workspace’s chatbot lists nothing', async () => {
    expect(await idsOf(`?chatbotId=${sales.id}`)).toEqual([ids.percent]);
    expect(await idsOf(`?chatbotId=${support.id}`)).toEqual([ids.camel, ids.snake, ids.discount]);
    const foreign = await server.api(apiKey).get(`/api/v1/conversations?chatbotId=unknown-bot`);
    expect(foreign.body.data).toEqual([]);
  });

  it('filters by period: active at or after `from`, started at or before `to`; a day means the whole UTC day', async () => {
    expect(await idsOf('?from=2025-03-06')).toEqual([ids.camel, ids.snake, ids.percent]);
    expect(await idsOf('?to=2025-03-05')).toEqual([ids.percent, ids.discount]);
    expect(await idsOf('?from=2025-03-06&to=2025-03-07')).toEqual([ids.percent]);
    expect(await idsOf('?from=2025-03-09T10:00:00%2B02:00')).toEqual([ids.camel]);
    expect(await idsOf('?to=2025-03-01T08:59:59Z')).toEqual([]);
  });

  it('filters by metadata.userId, exactly: the string only, case and type included', async () => {
    expect(await idsOf('?userId=customer-7')).toEqual([ids.discount]);
    expect(await idsOf('?userId=Customer-7')).toEqual([ids.camel]);
    expect(await idsOf('?userId=customer-8')).toEqual([ids.percent]);
    expect(await idsOf('?userId=42')).toEqual([]);
  });

  it('searches message text case-insensitively, taking %, _ and \\ literally', async () => {
    expect(await idsOf('?q=discount')).toEqual([ids.discount]);
    expect(await idsOf('?q=DISCOUNT')).toEqual([ids.discount]);
    expect(await idsOf(`?q=${encodeURIComponent('100%')}`)).toEqual([ids.discount]);
    expect(await idsOf('?q=e_c')).toEqual([ids.snake]);
    expect(await idsOf(`?q=${encodeURIComponent('C:\\temp')}`)).toEqual([ids.camel]);
    expect(await idsOf(`?q=${encodeURIComponent('%')}`)).toEqual([ids.discount]);
    expect(await idsOf('?q=nothing-like-this')).toEqual([]);
  });

  it('combines filters, and treats empty ones as absent', async () => {
    expect(await idsOf(`?chatbotId=${support.id}&q=snake`)).toEqual([ids.camel, ids.snake]);
    expect(await idsOf(`?chatbotId=${support.id}&q=snake&from=2025-03-09`)).toEqual([ids.camel]);
    expect(await idsOf('?q=&userId=&chatbotId=')).toEqual([ids.camel, ids.snake, ids.percent, ids.discount]);
  });

  it('pages through every conversation once, in order, with nextCursor', async () => {
    const { items, pages } = await readAllPages(apiKey, '/api/v1/conversations', 3);

    expect(items.map((conversation) => conversation.id)).toEqual([
      ids.camel,
      ids.snake,
      ids.percent,
      ids.discount,
    ]);
    expect(pages).toBe(2);
    const filtered = await readAllPages(apiKey, `/api/v1/conversations?chatbotId=${support.id}`, 1);
    expect(filtered.items.map((conversation) => conversation.id)).toEqual([
      ids.camel,
      ids.snake,
      ids.discount,
    ]);
  });

  it('answers 400 VALIDATION_ERROR to a cursor it never gave, a bad date and an out-of-range limit', async () => {
    expectFailure(
      await server.api(apiKey).get('/api/v1/conversations?cursor=bogus'),
      400,
      'VALIDATION_ERROR',
    );
    expectFailure(
      await server.api(apiKey).get('/api/v1/conversations?from=yesterday'),
      400,
      'VALIDATION_ERROR',
    );
    expectFailure(await server.api(apiKey).get('/api/v1/conversations?limit=101'), 400, 'VALIDATION_ERROR');
  });
});

describe('GET /api/v1/usage', () => {
  let apiKey: string;
  let basic: { id: string };
  let premium: { id: string };
  let balanceAfterSetup: number;

  beforeAll(async () => {
    ({ apiKey } = await server.createWorkspace(100, 'Usage workspace'));
    basic = await server.createChatbot(apiKey, { name: 'Basic' });
    premium = await server.createChatbot(apiKey, { name: 'Premium', model: 'local/premium' });
    const flaky = await server.createChatbot(apiKey, { name: 'Flaky', model: 'openai/fails' });
    at('2025-02-20T10:00:00.000Z'); // outside a 7-day window
    await chat(apiKey, basic.id, 'Long ago');
    at('2025-03-08T00:00:00.000Z'); // the first millisecond of the day
    await chat(apiKey, basic.id, 'First');
    at('2025-03-08T23:59:59.999Z'); // its last
    await chat(apiKey, basic.id, 'Second');
    at('2025-03-10T08:00:00.000Z');
    await chat(apiKey, basic.id, 'Third');
    await chat(apiKey, premium.id, 'Fourth');
    await chat(apiKey, premium.id, 'Fifth');
    fake.queue({ status: 500, errorBody: { error: { message: 'boom' } } });
    await chat(apiKey, flaky.id, 'Fails, costs nothing, and is no reply');
    now = TODAY_NOON;
    balanceAfterSetup = (await server.api(apiKey).get('/api/v1/workspace')).body.data.credits;
  });

  it('counts replies and credits per UTC day, oldest first, every day listed, and per chatbot', async () => {
    const response = await server.api(apiKey).get('/api/v1/usage?days=7');

    expect(response.status, response.text).toBe(200);
    expect(response.body.data).toEqual({
      days: [
        { date: '2025-03-04', messages: 0, credits: 0 },
        { date: '2025-03-05', messages: 0, credits: 0 },
        { date: '2025-03-06', messages: 0, credits: 0 },
        { date: '2025-03-07', messages: 0, credits: 0 },
        { date: '2025-03-08', messages: 2, credits: 2 },
        { date: '2025-03-09', messages: 0, credits: 0 },
        { date: '2025-03-10', messages: 3, credits: 7 },
      ],
      chatbots: [
        { chatbotId: basic.id, name: 'Basic', messages: 3, credits: 3 },
        { chatbotId: premium.id, name: 'Premium', messages: 2, credits: 6 },
      ],
      balance: balanceAfterSetup,
    });
    expect(balanceAfterSetup).toBe(100 - 1 - 3 - 6);
  });

  it('covers 30 days by default and just today with days=1', async () => {
    const month = (await server.api(apiKey).get('/api/v1/usage')).body.data;
    const today = (await server.api(apiKey).get('/api/v1/usage?days=1')).body.data;

    expect(month.days).toHaveLength(30);
    expect(month.days[0].date).toBe('2025-02-09');
    expect(month.days.at(-1).date).toBe('2025-03-10');
    expect(month.days.find((day: { date: string }) => day.date === '2025-02-20')).toEqual({
      date: '2025-02-20',
      messages: 1,
      credits: 1,
    });
    expect(month.chatbots[0]).toEqual({ chatbotId: basic.id, name: 'Basic', messages: 4, credits: 4 });
    expect(today.days).toEqual([{ date: '2025-03-10', messages: 3, credits: 7 }]);
    expect(today.chatbots).toEqual([
      { chatbotId: premium.id, name: 'Premium', messages: 2, credits: 6 },
      { chatbotId: basic.id, name: 'Basic', messages: 1, credits: 1 },
    ]);
  });

  it('counts nothing of another workspace', async () => {
    const { apiKey: emptyKey } = await server.createWorkspace(5, 'Quiet workspace');

    const usage = (await server.api(emptyKey).get('/api/v1/usage?days=30')).body.data;

    expect(usage.chatbots).toEqual([]);
    expect(usage.days.every((day: { messages: number }) => day.messages === 0)).toBe(true);
    expect(usage.balance).toBe(5);
  });

  it.each(['0', '366', '1.5', 'many'])('answers 400 VALIDATION_ERROR to days=%s', async (days) => {
    expectFailure(await server.api(apiKey).get(`/api/v1/usage?days=${days}`), 400, 'VALIDATION_ERROR');
  });
});

describe('GET /api/v1/credits/ledger', () => {
  it('lists every movement newest first, with the balance after each, across pages', async () => {
    const { apiKey } = await server.createWorkspace(50, 'Ledger workspace');
    const bot = await server.createChatbot(apiKey, { name: 'Ledger bot' });
    const flaky = await server.createChatbot(apiKey, { name: 'Flaky', model: 'openai/fails' });
    for (const message of ['One', 'Two', 'Three']) await chat(apiKey, bot.id, message);
    fake.queue({ status: 500, errorBody: { error: { message: 'boom' } } });
    await chat(apiKey, flaky.id, 'Refunded');

    const { items, pages } = await readAllPages(apiKey, '/api/v1/credits/ledger', 2);

    expect(pages).toBe(3);
    const entries = items as unknown as {
      amount: number;
      balanceAfter: number;
      reason: string;
      createdAt: string;
    }[];
    expect(entries.map((entry) => [entry.reason, entry.amount, entry.balanceAfter])).toEqual([
      ['release', 1, 47],
      ['reservation', -1, 46],
      ['reservation', -1, 47],
      ['reservation', -1, 48],
      ['reservation', -1, 49],
      ['grant', 50, 50],
    ]);
    expect(new Set(items.map((entry) => entry.id)).size).toBe(6);
    // Each reply's reservation names the reply's conversation; the grant names none, nor does the failed
    // reply's, whose message is not kept.
    const conversations = (
      items as unknown as { conversation: { chatbotId: string; conversationId: string } | null }[]
    ).map((entry) => entry.conversation);
    expect(conversations.map((conversation) => conversation?.chatbotId ?? null)).toEqual([
      null,
      null,
      bot.id,
      bot.id,
      bot.id,
      null,
    ]);
    const transcript = await server
      .api(apiKey)
      .get(`/api/v1/chatbots/${bot.id}/conversations/${conversations[2]?.conversationId}`);
    expect(transcript.status, transcript.text).toBe(200);
    expect((await server.api(apiKey).get('/api/v1/workspace')).body.data.credits).toBe(47);
  });

  it('shows nothing of another workspace', async () => {
    const { apiKey } = await server.createWorkspace(0, 'Empty ledger');

    const response = await server.api(apiKey).get('/api/v1/credits/ledger');

    expect(response.body).toEqual({ success: true, data: [], nextCursor: null });
  });
});
