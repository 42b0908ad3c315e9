import OpenAI, {
  APIError,
  AuthenticationError,
  BadRequestError,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
} from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeOpenAi, startFakeOpenAi } from '../helpers/fake-openai.ts';
import { openAiBaseUrl } from '../helpers/openai-door.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';

// The official `openai` npm package, pointed at PollyBot as its base URL with a workspace key as its API key: a
// client PollyBot did not write is the test of the door's compatibility.

let fake: FakeOpenAi;
let server: TestServer;
let apiKey: string;
let client: OpenAI;

beforeAll(async () => {
  fake = await startFakeOpenAi();
  server = await startTestServer({ OPENAI_BASE_URL: fake.baseUrl, OPENAI_API_KEY: 'sk-upstream-test' });
  ({ apiKey } = await server.createWorkspace(1000));
  // No retries: a refusal is read once, as it was answered.
  client = new OpenAI({ apiKey, baseURL: openAiBaseUrl(server.baseUrl), maxRetries: 0 });
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

describe('the openai package against /api/openai/v1', () => {
  it('creates a chat completion: the reply, its usage, and the stored message’s id', async () => {
    const bot = await createBot();
    fake.queue({ text: 'Hi there, friend.', usage: { promptTokens: 12, completionTokens: 4 } });

    const completion = await client.chat.completions.create({
      model: bot.id,
      messages: [
        { role: 'system', content: 'Answer warmly.' },
        { role: 'user', content: 'Hello' },
      ],
    });

    expect(completion.choices[0]?.message.content).toBe('Hi there, friend.');
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    expect(completion.usage).toEqual({ prompt_tokens: 12, completion_tokens: 4, total_tokens: 16 });
    const conversationId = (completion as unknown as { pollybot: { conversationId: string } }).pollybot
      .conversationId;
    const stored = await server
      .api(apiKey)
      .get(`/api/v1/chatbots/${bot.id}/conversations/${conversationId}/messages/${completion.id}`);
    expect(stored.body.data.content).toBe('Hi there, friend.');
    expect(fake.requests[0]?.body.messages[0]?.content).toContain('Be brief.');
    expect(fake.requests[0]?.body.messages[0]?.content).toContain('Answer warmly.');
  });

  it('streams with for await: the text arrives in chunks, the last choice ends with "stop"', async () => {
    const bot = await createBot();
    fake.queue({ text: 'one two three four' });

    const stream = await client.chat.completions.create({
      model: bot.id,
      messages: [{ role: 'user', content: 'Count' }],
      stream: true,
    });
    let text = '';
    const finishReasons: (string | null)[] = [];
    let chunks = 0;
    for await (const chunk of stream) {
      chunks++;
      text += chunk.choices[0]?.delta.content ?? '';
      finishReasons.push(chunk.choices[0]?.finish_reason ?? null);
    }

    expect(text).toBe('one two three four');
    expect(chunks).toBeGreaterThan(2);
    expect(finishReasons.at(-1)).toBe('stop');
    expect(finishReasons.slice(0, -1).every((reason) => reason === null)).toBe(true);
  });

  it('streams with stream_options.include_usage: the last chunk has no choices and the usage', async () => {
    const bot = await createBot();
    fake.queue({ text: 'Hi you', usage: { promptTokens: 7, completionTokens: 2 } });

    const stream = await client.chat.completions.create({
      model: bot.id,
      messages: [{ role: 'user', content: 'Hello' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);

    expect(chunks.at(-1)?.choices).toEqual([]);
    expect(chunks.at(-1)?.usage).toEqual({ prompt_tokens: 7, completion_tokens: 2, total_tokens: 9 });
  });

  it('raises a failure after the first chunk as an APIError from the for await loop', async () => {
    const bot = await createBot();
    fake.queue({ text: 'one two three four', failAfterChunks: { count: 2, how: 'error-chunk' } });

    const stream = await client.chat.completions.create({
      model: bot.id,
      messages: [{ role: 'user', content: 'Count' }],
      stream: true,
    });
    let text = '';
    const failure = await (async () => {
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    })().catch((error: unknown) => error);

    expect(text).toBe('one two ');
    expect(failure).toBeInstanceOf(APIError);
    expect(failure).toMatchObject({ type: 'server_error', code: 'provider_error' });
  });

  it('lists the workspace’s active chatbots with models.list() and reads one with models.retrieve()', async () => {
    const { apiKey: otherKey } = await server.createWorkspace(10, 'Other');
    const own = await createBot({ name: 'Listed bot' });
    const inactive = await createBot({ name: 'Paused bot' });
    await server.api(apiKey).patch(`/api/v1/chatbots/${inactive.id}`, { status: 'inactive' });
    const foreign = await server.createChatbot(otherKey, { name: 'Foreign bot' });

    const ids: string[] = [];
    for await (const model of client.models.list()) ids.push(model.id);
    const model = await client.models.retrieve(own.id);

    expect(ids).toContain(own.id);
    expect(ids).not.toContain(inactive.id);
    expect(ids).not.toContain(foreign.id);
    expect(model).toMatchObject({
      id: own.id,
      object: 'model',
      created: expect.any(Number),
      owned_by: expect.any(String),
    });
    await expect(client.models.retrieve(inactive.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(client.models.retrieve(foreign.id)).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('the openai package’s typed errors', () => {
  const ask = (target: OpenAI, model: string, fields: Record<string, unknown> = {}) =>
    target.chat.completions.create({ model, messages: [{ role: 'user', content: 'Hello' }], ...fields });

  it('raises AuthenticationError (401 invalid_api_key) for a bad key', async () => {
    const bot = await createBot();
    const stranger = new OpenAI({
      apiKey: 'sk-workspace_notARealKey000000000000000000000000',
      baseURL: openAiBaseUrl(server.baseUrl),
      maxRetries: 0,
    });

    const failure = await ask(stranger, bot.id).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(AuthenticationError);
    expect(failure).toMatchObject({ status: 401, code: 'invalid_api_key', type: 'invalid_request_error' });
    await expect(stranger.models.list()).rejects.toBeInstanceOf(AuthenticationError);
  });

  it('raises NotFoundError (404 model_not_found) for an unknown chatbot or one of another workspace', async () => {
    const { apiKey: otherKey } = await server.createWorkspace(10, 'Elsewhere');
    const foreign = await server.createChatbot(otherKey, { model: 'openai/gpt-test' });

    for (const model of ['no-such-chatbot', foreign.id]) {
      const failure = await ask(client, model).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(NotFoundError);
      expect(failure).toMatchObject({ status: 404, code: 'model_not_found', param: 'model' });
      // The sentence says what a model is here and where the list is.
      expect((failure as NotFoundError).message).toContain('A model is the id of one of your chatbots');
      expect((failure as NotFoundError).message).toContain('GET /api/openai/v1/models');
    }
    expect(fake.requests).toHaveLength(0);
  });

  it('raises PermissionDeniedError (403 model_inactive) for an inactive chatbot', async () => {
    const bot = await createBot();
    await server.api(apiKey).patch(`/api/v1/chatbots/${bot.id}`, { status: 'inactive' });

    const failure = await ask(client, bot.id).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(PermissionDeniedError);
    expect(failure).toMatchObject({ status: 403, code: 'model_inactive' });
  });

  it('raises RateLimitError (429 rate_limit_exceeded) with Retry-After past the chatbot’s limit', async () => {
    const bot = await createBot({ rateLimit: { requests: 1, windowSeconds: 60 } });
    await ask(client, bot.id);

    const failure = await ask(client, bot.id).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(RateLimitError);
    expect(failure).toMatchObject({ status: 429, code: 'rate_limit_exceeded', type: 'requests' });
    const headers = (failure as RateLimitError).headers;
    expect(Number(headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(headers.get('x-ratelimit-remaining')).toBe('0');
  });

  it('raises an APIError with status 402 and code insufficient_quota when the credits run out, never retried', async () => {
    const { apiKey: poorKey } = await server.createWorkspace(0, 'Poor');
    const bot = await server.createChatbot(poorKey, { model: 'openai/gpt-test' });
    // With the SDK's default retries: a 402 is not one it retries.
    const poor = new OpenAI({ apiKey: poorKey, baseURL: openAiBaseUrl(server.baseUrl) });

    const failure = await ask(poor, bot.id).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(APIError);
    expect(failure).toMatchObject({ status: 402, code: 'insufficient_quota', type: 'insufficient_quota' });
    expect((failure as APIError).headers?.get('x-credits-remaining')).toBe('0');
    expect(fake.requests).toHaveLength(0);
  });

  it('raises BadRequestError (400) naming the parameter PollyBot does not honour', async () => {
    const bot = await createBot();
    const cases: [Record<string, unknown>, string, string][] = [
      [{ n: 2 }, 'n', 'unsupported_value'],
      [
        { tools: [{ type: 'function', function: { name: 'lookup', parameters: { type: 'object' } } }] },
        'tools',
        'unsupported_parameter',
      ],
      [{ response_format: { type: 'json_object' } }, 'response_format', 'unsupported_value'],
      [{ temperature: 5 }, 'temperature', 'invalid_value'],
    ];

    for (const [fields, param, code] of cases) {
      const failure = await ask(client, bot.id, fields).catch((error: unknown) => error);
      expect(failure, param).toBeInstanceOf(BadRequestError);
      expect(failure, param).toMatchObject({ status: 400, param, code, type: 'invalid_request_error' });
    }
    expect(fake.requests).toHaveLength(0);
  });

  it('raises InternalServerError (502 provider_error) when the provider fails', async () => {
    const bot = await createBot();
    fake.queue({ status: 500 });

    const failure = await ask(client, bot.id).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(InternalServerError);
    expect(failure).toMatchObject({ status: 502, code: 'provider_error', type: 'server_error' });
  });
});
