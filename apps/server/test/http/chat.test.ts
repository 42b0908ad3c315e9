import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeOpenAi, startFakeOpenAi } from '../helpers/fake-openai.ts';
import { eventsOnly, parseSse } from '../helpers/sse.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';

let fake: FakeOpenAi;
let server: TestServer;
let apiKey: string;

beforeAll(async () => {
  fake = await startFakeOpenAi();
  server = await startTestServer({
    OPENAI_BASE_URL: fake.baseUrl,
    OPENAI_API_KEY: 'sk-upstream-test',
    POLLYBOT_HISTORY_MESSAGES: '4',
  });
  ({ apiKey } = await server.createWorkspace(1000));
});

afterAll(async () => {
  await server.close();
  await fake.close();
});

beforeEach(() => {
  fake.requests.length = 0;
  fake.defaultReply = { text: 'Hello from the fake model.' };
});

describe('POST /api/v1/chatbots/:id/chat as JSON', () => {
  it('answers with the reply, a new conversation, the message id and usage', async () => {
    const bot = await server.createChatbot(apiKey, { model: 'openai/gpt-test', instructions: 'Be brief.' });
    fake.queue({ text: 'Hi there, friend.', usage: { promptTokens: 17, completionTokens: 4 } });

    const response = await server.api(apiKey).post(`/api/v1/chatbots/${bot.id}/chat`, { message: 'Hello' });

    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      success: true,
      data: {
        response: 'Hi there, friend.',
        conversationId: expect.any(String),
        messageId: expect.any(String),
        usage: { inputTokens: 17, outputTokens: 4, credits: 1 },
      },
    });
    expect(response.headers.get('x-request-id')).toBeTruthy();
  });

  it('sends the upstream the instructions, the temperature, the token limit and the message', async () => {
    const bot = await server.createChatbot(apiKey, {
      model: 'openai/gpt-test',
      instructions: 'You are a pirate.',
      temperature: 0.3,
      maxTokens: 77,
    });

    await server.api(apiKey).post(`/api/v1/chatbots/${bot.id}/chat`, { message: 'Ahoy?' });

    expect(fake.requests).toHaveLength(1);
    const sent = fake.requests[0]?.body;
    expect(sent?.model).toBe('gpt-test');
    expect(sent?.temperature).toBe(0.3);
    expect(sent?.max_tokens).toBe(77);
    expect(sent?.messages).toEqual([
      { role: 'system', content: 'You are a pirate.' },
      { role: 'user', content: 'Ahoy?' },
    ]);
    expect(fake.requests[0]?.headers.authorization).toBe('Bearer sk-upstream-test');
  });

  it('continues a conversation: instructions, then the earlier messages oldest first, then the new one', async () => {
    const bot = await server.createChatbot(apiKey, {
      model: 'openai/gpt-test',
      instructions: 'Remember things.',
    });
    const client = server.api(apiKey);
    fake.queue({ text: 'Nice to meet you, Ada.' });
    const first = await client.post(`/api/v1/chatbots/${bot.id}/chat`, { message: 'My name is Ada.' });
    const conversationId = first.body.data.conversationId;
    fake.queue({ text: 'Your name is Ada.' });

    const second = await client.post(`/api/v1/chatbots/${bot.id}/chat`, {
      message: 'What is my name?',
      conversationId,
    });

    expect(second.status).toBe(200);
    expect(second.body.data.conversationId).toBe(conversationId);
    expect(fake.requests[1]?.body.messages).toEqual([
      { role: 'system', content: 'Remember things.' },
      { role: 'user', content: 'My name is Ada.' },
      { role: 'assistant', content: 'Nice to meet you, Ada.' },
      { role: 'user', content: 'What is my name?' },
    ]);
  });

  it('bounds the history window, so a long conversation costs the same per message as a short one', async () => {
    const bot = await server.createChatbot(apiKey, { model: 'openai/gpt-test', instructions: 'Window.' });
    const client = server.api(apiKey);
    let conversationId: string | undefined;
    for (let turn = 1; turn <= 6; turn++) {
      fake.queue({ text: `reply ${turn}` });
      const response = await client.post(`/api/v1/chatbots/${bot.id}/chat`, {
        message: `message ${turn}`,
        conversationId,
      });
      conversationId = response.body.data.conversationId;
    }

    const lastSent = fake.requests.at(-1)?.body.messages;
    // POLLYBOT_HISTORY_MESSAGES=4: instructions + the last 4 messages + the new one.
    expect(lastSent).toEqual([
      { role: 'system', content: 'Window.' },
      { role: 'user', content: 'message 4' },
      { role: 'assistant', content: 'reply 4' },
      { role: 'user', content: 'message 5' },
      { role: 'assistant', content: 'reply 5' },
      { role: 'user', content: 'message 6' },
    ]);
    expect(fake.requests.at(-1)?.body.messages).toHaveLength(
      fake.requests.at(-2)?.body.messages.length ?? -1,
    );
  });

  it('stores metadata with the messages and returns it from the conversation API', async () => {
    const bot = await server.createChatbot(apiKey, { model: 'openai/gpt-test' });
    const metadata = { userId: 'u-42', source: 'widget', nested: { tags: ['a', 'b'] } };
    const sent = await server
      .api(apiKey)
      .post(`/api/v1/chatbots/${bot.id}/chat`, { message: 'Hi', metadata });

    const conversation = await server
      .api(apiKey)
      .get(`/api/v1/chatbots/${bot.id}/conversations/${sent.body.data.conversationId}`);

    expect(conversation.status).toBe(200);
    const [user, assistant] = conversation.body.data.messages;
    expect(user).toMatchObject({ role: 'user', content: 'Hi', metadata, status: 'complete', usage: null });
    expect(assistant).toMatchObject({
      id: sent.body.data.messageId,
      role: 'assistant',
      content: 'Hello from the fake model.',
      status: 'complete',
      usage: sent.body.data.usage,
    });
  });

  it('answers with the built-in local model and no provider at all', async () => {
    const bot = await server.createChatbot(apiKey, { name: 'Helper' });
    expect(bot.model).toBe('local/pollybot');

    const response = await server.api(apiKey).post(`/api/v1/chatbots/${bot.id}/chat`, { message: 'Hello!' });

    expect(response.status).toBe(200);
    expect(response.body.data.response).toContain('Helper');
    expect(response.body.data.response).toContain('OPENAI_API_KEY');
    expect(response.body.data.response).toContain('PATCH /api/v1/chatbots/');
    expect(fake.requests).toHaveLength(0);
  });
});

describe('POST /api/v1/chatbots/:id/chat as Server-Sent Events', () => {
  it('streams start, deltas whose concatenation is the response, then exactly one done', async () => {
    const bot = await server.createChatbot(apiKey, { model: 'openai/gpt-test' });
    fake.queue({ text: 'One two three four five.' });

    const response = await server.chat(apiKey, bot.id, { message: 'Count', stream: true });

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(response.headers.get('x-ratelimit-limit')).toBe('60');
    expect(response.headers.get('x-request-id')).toBeTruthy();
    const events = eventsOnly(parseSse(await response.text()));
    expect(events[0]?.event).toBe('start');
    expect(events.at(-1)?.event).toBe('done');
    const start = events[0]?.data as { conversationId: string; messageId: string };
    const last = events.at(-1)?.data as {
      data: { response: string; conversationId: string; messageId: string };
    };
    const done = last.data;
    const deltas = events.filter((event) => event.event === 'delta');
    expect(deltas.length).toBeGreaterThan(1);
    const text = deltas.map((event) => (event.data as { content: string }).content).join('');
    expect(text).toBe('One two three four five.');
    expect(done.response).toBe(text);
    expect(done.conversationId).toBe(start.conversationId);
    expect(done.messageId).toBe(start.messageId);
    expect(events.filter((event) => event.event === 'done' || event.event === 'error')).toHaveLength(1);
  });

  it('follows the chatbot’s streaming default unless the request overrides it', async () => {
    const bot = await server.createChatbot(apiKey, { model: 'openai/gpt-test', streaming: true });
    const byDefault = await server.chat(apiKey, bot.id, { message: 'Hi' });
    expect(byDefault.headers.get('content-type')).toBe('text/event-stream');
    await byDefault.text();

    const overridden = await server
      .api(apiKey)
      .post(`/api/v1/chatbots/${bot.id}/chat`, { message: 'Hi', stream: false });
    expect(overridden.headers.get('content-type')).toContain('application/json');
    expect(overridden.body.success).toBe(true);
  });

  it('sends : ping comments while the upstream is silent', async () => {
    const pingServer = await startTestServer({ OPENAI_BASE_URL: fake.baseUrl, SSE_HEARTBEAT_MS: '40' });
    try {
      const { apiKey: key } = await pingServer.createWorkspace(10);
      const bot = await pingServer.createChatbot(key, { model: 'openai/gpt-test' });
      fake.queue({ text: 'slow reply here', interTokenDelayMs: 200 });
      const response = await pingServer.chat(key, bot.id, { message: 'Hi', stream: true });
      const events = parseSse(await response.text());
      expect(events.some((event) => 'comment' in event && event.comment === 'ping')).toBe(true);
      expect(eventsOnly(events).at(-1)?.event).toBe('done');
    } finally {
      await pingServer.close();
    }
  });

  it('ends with one error event when the upstream fails after the stream started', async () => {
    const bot = await server.createChatbot(apiKey, { model: 'openai/gpt-test' });
    fake.queue({ text: 'this will break soon enough', failAfterChunks: { count: 2, how: 'error-chunk' } });

    const response = await server.chat(apiKey, bot.id, { message: 'Hi', stream: true });

    expect(response.status).toBe(200);
    const events = eventsOnly(parseSse(await response.text()));
    const terminal = events.filter((event) => event.event === 'done' || event.event === 'error');
    expect(terminal).toHaveLength(1);
    expect(events.at(-1)).toMatchObject({
      event: 'error',
      data: { success: false, code: 'AI_PROVIDER_ERROR', error: expect.any(String) },
    });
    expect(JSON.stringify(events.at(-1)?.data)).not.toContain('crashed');
  });
});
