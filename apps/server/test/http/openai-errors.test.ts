import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeOpenAi, startFakeOpenAi } from '../helpers/fake-openai.ts';
import { openAiBaseUrl, postCompletion, readJson } from '../helpers/openai-door.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';

// Refusals of the OpenAI-compatible door on the wire: OpenAI's error object and statuses, every one before the
// provider is called and before anything is stored or charged.

let fake: FakeOpenAi;
let server: TestServer;
let apiKey: string;
let workspaceId: string;

beforeAll(async () => {
  fake = await startFakeOpenAi();
  server = await startTestServer({ OPENAI_BASE_URL: fake.baseUrl, OPENAI_API_KEY: 'sk-upstream-test' });
  ({ apiKey, workspaceId } = await server.createWorkspace(1000));
});

afterAll(async () => {
  await server.close();
  await fake.close();
});

beforeEach(() => {
  fake.requests.length = 0;
});

const createBot = () => server.createChatbot(apiKey, { model: 'openai/gpt-test' });
const hello = [{ role: 'user', content: 'Hello' }];
const openAiError = (param: string | null, code: string) => ({
  error: { message: expect.any(String), type: 'invalid_request_error', param, code },
});

describe('the OpenAI-compatible door’s refusals', () => {
  it('answers 401 invalid_api_key in OpenAI’s shape without a key, with a bad key, and for a dashboard session', async () => {
    const bot = await createBot();
    const owner = await server.createUser(workspaceId, 'owner');
    const session = await server.signIn(owner.userId, workspaceId);

    const answers = [
      await postCompletion(server.baseUrl, undefined, { model: bot.id, messages: hello }),
      await postCompletion(server.baseUrl, 'sk-workspace_unknown', { model: bot.id, messages: hello }),
      await postCompletion(server.baseUrl, undefined, { model: bot.id, messages: hello }, session.headers),
      await fetch(`${openAiBaseUrl(server.baseUrl)}/models`, { headers: session.headers }),
    ];

    for (const answer of answers) {
      expect(answer.status).toBe(401);
      expect(await readJson(answer)).toEqual(openAiError(null, 'invalid_api_key'));
      expect(answer.headers.get('x-request-id')).toBeTruthy();
    }
  });

  it('answers an unknown path under the prefix with OpenAI’s 404, not the native envelope', async () => {
    const response = await fetch(`${openAiBaseUrl(server.baseUrl)}/embeddings`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: '{}',
    });

    expect(response.status).toBe(404);
    expect(await readJson(response)).toEqual(openAiError(null, 'unknown_url'));
  });

  it('answers malformed JSON and a wrong body with 400 invalid_value naming the parameter', async () => {
    const bot = await createBot();

    const malformed = await postCompletion(server.baseUrl, apiKey, '{"model": ');
    const noMessages = await postCompletion(server.baseUrl, apiKey, { model: bot.id, messages: [] });
    const badRole = await postCompletion(server.baseUrl, apiKey, {
      model: bot.id,
      messages: [{ role: 'robot', content: 'Hi' }],
    });

    expect([malformed.status, await readJson(malformed)]).toEqual([400, openAiError(null, 'invalid_value')]);
    expect([noMessages.status, await readJson(noMessages)]).toEqual([
      400,
      openAiError('messages', 'invalid_value'),
    ]);
    expect([badRole.status, await readJson(badRole)]).toEqual([
      400,
      openAiError('messages[0].role', 'invalid_value'),
    ]);
  });

  it('refuses what it cannot honour with 400 and the parameter: tool messages, images, a last message not from the user', async () => {
    const bot = await createBot();
    const send = (messages: unknown[], fields: Record<string, unknown> = {}) =>
      postCompletion(server.baseUrl, apiKey, { model: bot.id, messages, ...fields });
    const cases: [Response, string, string][] = [
      [
        await send([...hello, { role: 'tool', content: '42', tool_call_id: 'x' }]),
        'messages[1].role',
        'unsupported_value',
      ],
      [
        await send([
          { role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://example.com/a.png' } }] },
        ]),
        'messages[0].content[0].type',
        'unsupported_value',
      ],
      [await send([...hello, { role: 'assistant', content: 'Hi' }]), 'messages[1].role', 'invalid_value'],
      [await send([{ role: 'user', content: '   ' }]), 'messages[0].content', 'invalid_value'],
      [await send(hello, { stop: ['\n'] }), 'stop', 'unsupported_parameter'],
      [await send(hello, { top_p: 0.5 }), 'top_p', 'unsupported_value'],
      [await send(hello, { tool_choice: 'auto' }), 'tool_choice', 'unsupported_parameter'],
    ];

    for (const [response, param, code] of cases) {
      expect(response.status, param).toBe(400);
      expect(await readJson(response), param).toEqual(openAiError(param, code));
    }
    expect(fake.requests).toHaveLength(0);
  });

  it('accepts the parameters clients send with their default values: n 1, top_p 1, penalties 0, empty tools', async () => {
    const bot = await createBot();

    const response = await postCompletion(server.baseUrl, apiKey, {
      model: bot.id,
      messages: hello,
      n: 1,
      top_p: 1,
      frequency_penalty: 0,
      presence_penalty: 0,
      tools: [],
      response_format: { type: 'text' },
      logprobs: false,
      stop: null,
      store: false,
      parallel_tool_calls: true,
    });

    expect(response.status).toBe(200);
  });

  it('caps the request’s system text at 16,000 characters and a message at 32,000', async () => {
    const bot = await createBot();

    const longSystem = await postCompletion(server.baseUrl, apiKey, {
      model: bot.id,
      messages: [{ role: 'system', content: 'x'.repeat(16_001) }, ...hello],
    });
    const longMessage = await postCompletion(server.baseUrl, apiKey, {
      model: bot.id,
      messages: [{ role: 'user', content: 'x'.repeat(32_001) }],
    });

    expect([longSystem.status, await readJson(longSystem)]).toEqual([
      400,
      openAiError('messages', 'invalid_value'),
    ]);
    expect([longMessage.status, await readJson(longMessage)]).toEqual([
      400,
      openAiError('messages[0].content', 'invalid_value'),
    ]);
  });

  it('answers 404 conversation_not_found for a conversation of another chatbot, and 400 for a malformed id', async () => {
    const bot = await createBot();
    const other = await createBot();
    const first = await postCompletion(server.baseUrl, apiKey, { model: other.id, messages: hello });
    const otherConversation = first.headers.get('x-pollybot-conversation-id') as string;

    const foreign = await postCompletion(
      server.baseUrl,
      apiKey,
      { model: bot.id, messages: hello },
      { 'X-PollyBot-Conversation-Id': otherConversation },
    );
    const malformed = await postCompletion(
      server.baseUrl,
      apiKey,
      { model: bot.id, messages: hello },
      { 'X-PollyBot-Conversation-Id': 'x'.repeat(65) },
    );

    expect([foreign.status, await readJson(foreign)]).toEqual([
      404,
      openAiError('X-PollyBot-Conversation-Id', 'conversation_not_found'),
    ]);
    expect([malformed.status, await readJson(malformed)]).toEqual([
      400,
      openAiError('X-PollyBot-Conversation-Id', 'invalid_value'),
    ]);
  });

  it('answers 429 with Retry-After and the rate-limit headers, and 402 insufficient_quota with the balance', async () => {
    const limited = await server.createChatbot(apiKey, {
      model: 'openai/gpt-test',
      rateLimit: { requests: 1, windowSeconds: 60 },
    });
    await postCompletion(server.baseUrl, apiKey, { model: limited.id, messages: hello });
    const { apiKey: poorKey } = await server.createWorkspace(0, 'Poor');
    const poorBot = await server.createChatbot(poorKey, { model: 'openai/gpt-test' });

    const tooMany = await postCompletion(server.baseUrl, apiKey, { model: limited.id, messages: hello });
    const broke = await postCompletion(server.baseUrl, poorKey, { model: poorBot.id, messages: hello });

    expect(tooMany.status).toBe(429);
    expect(await readJson(tooMany)).toEqual({
      error: { message: expect.any(String), type: 'requests', param: null, code: 'rate_limit_exceeded' },
    });
    expect(Number(tooMany.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(tooMany.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(broke.status).toBe(402);
    expect(await readJson(broke)).toEqual({
      error: {
        message: expect.any(String),
        type: 'insufficient_quota',
        param: null,
        code: 'insufficient_quota',
      },
    });
    expect(broke.headers.get('x-credits-remaining')).toBe('0');
    expect(broke.headers.get('x-ratelimit-limit')).toBeTruthy();
  });
});
