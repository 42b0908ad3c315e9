import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sumLedger } from '../../src/db/credits.repository.ts';
import { deferred } from '../helpers/deferred.ts';
import { type FakeOpenAi, startFakeOpenAi } from '../helpers/fake-openai.ts';
import { postCompletion, readDataLines, readJson } from '../helpers/openai-door.ts';
import { eventually, startTestServer, type TestServer } from '../helpers/test-server.ts';

// The OpenAI-compatible door on the wire: what a client reads, byte for byte, over the real chat pipeline with
// the fake provider behind it.

let fake: FakeOpenAi;
let server: TestServer;
let apiKey: string;
let workspaceId: string;

beforeAll(async () => {
  fake = await startFakeOpenAi();
  server = await startTestServer({
    OPENAI_BASE_URL: fake.baseUrl,
    OPENAI_API_KEY: 'sk-upstream-test',
    POLLYBOT_HISTORY_MESSAGES: '10',
  });
  ({ apiKey, workspaceId } = await server.createWorkspace(1000));
});

afterAll(async () => {
  await server.close();
  await fake.close();
});

beforeEach(() => {
  fake.requests.length = 0;
  fake.defaultReply = { text: 'Hello from the fake model.' };
});

const createBot = (fields: Record<string, unknown> = {}) =>
  server.createChatbot(apiKey, { model: 'openai/gpt-test', instructions: 'Be brief.', ...fields });

describe('POST /api/openai/v1/chat/completions as JSON', () => {
  it('answers a chat.completion whose id is the stored reply’s id, with usage and the pollybot extension', async () => {
    const bot = await createBot();
    fake.queue({ text: 'Hi there, friend.', usage: { promptTokens: 17, completionTokens: 4 } });

    const response = await postCompletion(server.baseUrl, apiKey, {
      model: bot.id,
      messages: [{ role: 'user', content: 'Hello' }],
    });
    const body = await readJson(response);

    expect(response.status).toBe(200);
    expect(body).toEqual({
      id: expect.any(String),
      object: 'chat.completion',
      created: expect.any(Number),
      model: bot.id,
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: 'Hi there, friend.', refusal: null },
          logprobs: null,
          finish_reason: 'stop',
        },
      ],
      usage: { prompt_tokens: 17, completion_tokens: 4, total_tokens: 21 },
      pollybot: { conversationId: expect.any(String), messageId: body.id, credits: 1, sources: [] },
    });
    expect(response.headers.get('x-pollybot-conversation-id')).toBe(body.pollybot.conversationId);
    const stored = await server
      .api(apiKey)
      .get(`/api/v1/chatbots/${bot.id}/conversations/${body.pollybot.conversationId}/messages/${body.id}`);
    expect(stored.body.data).toMatchObject({
      role: 'assistant',
      content: 'Hi there, friend.',
      status: 'complete',
      usage: { inputTokens: 17, outputTokens: 4, credits: 1 },
    });
  });

  it('charges the workspace’s credits and sets the rate-limit and credits headers, as the native route does', async () => {
    const bot = await createBot({ rateLimit: { requests: 5, windowSeconds: 60 } });
    const before = (await server.api(apiKey).get('/api/v1/workspace')).body.data.credits;

    const response = await postCompletion(server.baseUrl, apiKey, {
      model: bot.id,
      messages: [{ role: 'user', content: 'Hello' }],
    });

    expect(response.status).toBe(200);
    expect(response.headers.get('x-ratelimit-limit')).toBe('5');
    expect(response.headers.get('x-ratelimit-remaining')).toBe('4');
    expect(Number(response.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000);
    expect(response.headers.get('x-credits-remaining')).toBe(String(before - 1));
    expect((await server.api(apiKey).get('/api/v1/workspace')).body.data.credits).toBe(before - 1);
    expect(await sumLedger(server.services.db, workspaceId)).toBe(before - 1);
  });

  it('sends the provider the chatbot’s instructions, the request’s earlier messages as history, then the last user message', async () => {
    const bot = await createBot({ instructions: 'You are a pirate.' });

    await postCompletion(server.baseUrl, apiKey, {
      model: bot.id,
      messages: [
        { role: 'user', content: 'My name is Ada.' },
        { role: 'assistant', content: 'Ahoy, Ada.' },
        { role: 'user', content: [{ type: 'text', text: 'What is my name?' }] },
      ],
    });

    expect(fake.requests[0]?.body.messages).toEqual([
      { role: 'system', content: 'You are a pirate.' },
      { role: 'user', content: 'My name is Ada.' },
      { role: 'assistant', content: 'Ahoy, Ada.' },
      { role: 'user', content: 'What is my name?' },
    ]);
  });

  it('appends the request’s system and developer messages to the chatbot’s instructions under a heading, never replacing them', async () => {
    const bot = await createBot({ instructions: 'You are a pirate.' });

    await postCompletion(server.baseUrl, apiKey, {
      model: bot.id,
      messages: [
        { role: 'system', content: 'Answer in French.' },
        { role: 'developer', content: 'Keep it short.' },
        { role: 'user', content: 'Hello' },
      ],
    });

    expect(fake.requests[0]?.body.messages).toEqual([
      {
        role: 'system',
        content:
          'You are a pirate.\n\n## Additional instructions from the API request\n\nAnswer in French.\n\nKeep it short.',
      },
      { role: 'user', content: 'Hello' },
    ]);
  });

  it('gives a chatbot without instructions the request’s system text under its heading alone', async () => {
    const bot = await createBot({ instructions: '' });

    await postCompletion(server.baseUrl, apiKey, {
      model: bot.id,
      messages: [
        { role: 'system', content: 'Answer in French.' },
        { role: 'user', content: 'Hello' },
      ],
    });

    expect(fake.requests[0]?.body.messages[0]).toEqual({
      role: 'system',
      content: '## Additional instructions from the API request\n\nAnswer in French.',
    });
  });

  it('honours temperature, and max_tokens or max_completion_tokens only up to the chatbot’s own limit', async () => {
    const bot = await createBot({ temperature: 0.7, maxTokens: 100 });
    const send = (fields: Record<string, unknown>) =>
      postCompletion(server.baseUrl, apiKey, {
        model: bot.id,
        messages: [{ role: 'user', content: 'Hello' }],
        ...fields,
      });

    await send({ temperature: 0.2, max_tokens: 40 });
    await send({ max_completion_tokens: 5000 });
    await send({});

    expect(fake.requests.map((request) => [request.body.temperature, request.body.max_tokens])).toEqual([
      [0.2, 40],
      [0.7, 100],
      [0.7, 100],
    ]);
  });

  it('answers finish_reason "length" when the reply used the whole token limit', async () => {
    const bot = await createBot();
    fake.queue({ text: 'One two three', usage: { promptTokens: 5, completionTokens: 3 } });

    const response = await postCompletion(server.baseUrl, apiKey, {
      model: bot.id,
      messages: [{ role: 'user', content: 'Count' }],
      max_tokens: 3,
    });

    expect((await readJson(response)).choices[0].finish_reason).toBe('length');
  });

  it('continues a stored conversation named by X-PollyBot-Conversation-Id: its stored messages are the history', async () => {
    const bot = await createBot({ instructions: 'Remember things.' });
    fake.queue({ text: 'Nice to meet you, Ada.' });
    const first = await postCompletion(server.baseUrl, apiKey, {
      model: bot.id,
      messages: [{ role: 'user', content: 'My name is Ada.' }],
    });
    const conversationId = first.headers.get('x-pollybot-conversation-id') as string;

    const second = await postCompletion(
      server.baseUrl,
      apiKey,
      {
        model: bot.id,
        messages: [
          { role: 'user', content: 'Something the server does not use' },
          { role: 'user', content: 'What is my name?' },
        ],
      },
      { 'X-PollyBot-Conversation-Id': conversationId },
    );

    expect(second.status).toBe(200);
    expect((await readJson(second)).pollybot.conversationId).toBe(conversationId);
    expect(second.headers.get('x-pollybot-conversation-id')).toBe(conversationId);
    expect(fake.requests[1]?.body.messages).toEqual([
      { role: 'system', content: 'Remember things.' },
      { role: 'user', content: 'My name is Ada.' },
      { role: 'assistant', content: 'Nice to meet you, Ada.' },
      { role: 'user', content: 'What is my name?' },
    ]);
    const conversation = await server
      .api(apiKey)
      .get(`/api/v1/chatbots/${bot.id}/conversations/${conversationId}`);
    expect(conversation.body.data.messages.map((message: { content: string }) => message.content)).toEqual([
      'My name is Ada.',
      'Nice to meet you, Ada.',
      'What is my name?',
      'Hello from the fake model.',
    ]);
  });

  it('stores the request’s user as the message’s metadata.userId, for the inbox', async () => {
    const bot = await createBot();

    const response = await postCompletion(server.baseUrl, apiKey, {
      model: bot.id,
      messages: [{ role: 'user', content: 'Hello' }],
      user: 'customer-42',
      metadata: { plan: 'pro' },
    });
    const { conversationId } = (await readJson(response)).pollybot;

    const conversation = await server
      .api(apiKey)
      .get(`/api/v1/chatbots/${bot.id}/conversations/${conversationId}`);
    expect(conversation.body.data.messages[0].metadata).toEqual({ plan: 'pro', userId: 'customer-42' });
  });
});

describe('POST /api/openai/v1/chat/completions with stream: true', () => {
  it('sends a role chunk, content chunks, a final chunk with an empty delta and finish_reason, then [DONE]', async () => {
    const bot = await createBot();
    fake.queue({ text: 'Hi there friend', usage: { promptTokens: 9, completionTokens: 3 } });

    const response = await postCompletion(server.baseUrl, apiKey, {
      model: bot.id,
      messages: [{ role: 'user', content: 'Hello' }],
      stream: true,
    });
    const lines = readDataLines(await response.text());

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const chunks = lines.slice(0, -1) as Record<string, unknown>[];
    const id = chunks[0]?.id as string;
    const base = { id, object: 'chat.completion.chunk', created: expect.any(Number), model: bot.id };
    const choice = (delta: object, finishReason: string | null = null) => ({
      ...base,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    });
    expect(lines).toEqual([
      choice({ role: 'assistant', content: '' }),
      choice({ content: 'Hi ' }),
      choice({ content: 'there ' }),
      choice({ content: 'friend' }),
      {
        ...choice({}, 'stop'),
        pollybot: {
          conversationId: response.headers.get('x-pollybot-conversation-id'),
          messageId: id,
          credits: 1,
          sources: [],
        },
      },
      '[DONE]',
    ]);
    expect(response.headers.get('x-ratelimit-remaining')).toBeTruthy();
    expect(response.headers.get('x-credits-remaining')).toBeTruthy();
    const stored = await server
      .api(apiKey)
      .get(
        `/api/v1/chatbots/${bot.id}/conversations/${response.headers.get('x-pollybot-conversation-id')}/messages/${id}`,
      );
    expect(stored.body.data).toMatchObject({
      content: 'Hi there friend',
      status: 'complete',
      usage: { inputTokens: 9, outputTokens: 3, credits: 1 },
    });
  });

  it('with stream_options.include_usage: usage null on every chunk, then a usage chunk with choices: [] before [DONE]', async () => {
    const bot = await createBot();
    fake.queue({ text: 'Hi', usage: { promptTokens: 9, completionTokens: 1 } });

    const response = await postCompletion(server.baseUrl, apiKey, {
      model: bot.id,
      messages: [{ role: 'user', content: 'Hello' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const lines = readDataLines(await response.text()) as Record<string, unknown>[];

    expect(lines.slice(0, -2).every((chunk) => chunk.usage === null)).toBe(true);
    expect(lines.at(-2)).toEqual({
      id: lines[0]?.id,
      object: 'chat.completion.chunk',
      created: expect.any(Number),
      model: bot.id,
      choices: [],
      usage: { prompt_tokens: 9, completion_tokens: 1, total_tokens: 10 },
    });
    expect(lines.at(-1)).toBe('[DONE]');
  });

  it('ends a stream that fails after its first chunk with one data: {"error": ...} line and no [DONE]', async () => {
    const bot = await createBot();
    fake.queue({ text: 'one two three four', failAfterChunks: { count: 2, how: 'error-chunk' } });

    const response = await postCompletion(server.baseUrl, apiKey, {
      model: bot.id,
      messages: [{ role: 'user', content: 'Hello' }],
      stream: true,
    });
    const lines = readDataLines(await response.text());

    expect(response.status).toBe(200);
    expect(lines.at(-1)).toEqual({
      error: { message: expect.any(String), type: 'server_error', param: null, code: 'provider_error' },
    });
    expect(lines).not.toContain('[DONE]');
  });

  it('answers a provider failure before any text as a JSON 502 in OpenAI’s shape, and charges nothing', async () => {
    const bot = await createBot();
    const before = (await server.api(apiKey).get('/api/v1/workspace')).body.data.credits;
    fake.queue({ status: 500 });

    const response = await postCompletion(server.baseUrl, apiKey, {
      model: bot.id,
      messages: [{ role: 'user', content: 'Hello' }],
      stream: true,
    });

    expect(response.status).toBe(502);
    expect(await readJson(response)).toEqual({
      error: { message: expect.any(String), type: 'server_error', param: null, code: 'provider_error' },
    });
    expect((await server.api(apiKey).get('/api/v1/workspace')).body.data.credits).toBe(before);
  });

  it('generates, stores and charges the whole reply when the client leaves mid-stream', async () => {
    const bot = await createBot();
    const held = deferred();
    fake.queue({ text: 'one two three four', pauseAfterChunks: { count: 1, until: held.promise } });
    const controller = new AbortController();

    const response = await fetch(`${server.baseUrl}/api/openai/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: bot.id, messages: [{ role: 'user', content: 'Count' }], stream: true }),
      signal: controller.signal,
    });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    let seen = '';
    while (!seen.includes('one')) seen += new TextDecoder().decode((await reader.read()).value);
    const conversationId = response.headers.get('x-pollybot-conversation-id') as string;
    const messageId = (readDataLines(seen.slice(0, seen.lastIndexOf('\n\n') + 2))[0] as { id: string }).id;
    controller.abort();
    held.resolve();

    const path = `/api/v1/chatbots/${bot.id}/conversations/${conversationId}/messages/${messageId}`;
    await eventually(async () => (await server.api(apiKey).get(path)).body.data.status === 'complete');
    const stored = await server.api(apiKey).get(path);
    expect(stored.body.data).toMatchObject({ content: 'one two three four', usage: { credits: 1 } });
  });
});
