import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sumLedger } from '../../src/db/credits.repository.ts';
import { type FakeOllama, startFakeOllama } from '../helpers/fake-ollama.ts';
import { type FakeOpenAi, startFakeOpenAi } from '../helpers/fake-openai.ts';
import { eventsOnly, parseSse, type SseEvent } from '../helpers/sse.ts';
import { eventually, startTestServer, type TestServer } from '../helpers/test-server.ts';

let openai: FakeOpenAi;
let ollama: FakeOllama;
let server: TestServer;
let apiKey: string;

beforeAll(async () => {
  openai = await startFakeOpenAi();
  ollama = await startFakeOllama();
  server = await startTestServer({
    OPENAI_BASE_URL: openai.baseUrl,
    OPENAI_API_KEY: 'sk-upstream-test',
    OLLAMA_BASE_URL: ollama.baseUrl,
    // Small, so a silent provider is given up on quickly; every healthy reply here answers well within it.
    AI_PROVIDER_TIMEOUT_MS: '300',
  });
  ({ apiKey } = await server.createWorkspace(1000));
});

afterAll(async () => {
  await server.close();
  await openai.close();
  await ollama.close();
});

beforeEach(() => {
  openai.requests.length = 0;
  openai.defaultReply = { text: 'Hello from the fake model.' };
  ollama.requests.length = 0;
  ollama.defaultReply = { text: 'Hello from the fake llama.' };
});

type StoredMessage = { id: string; role: string; content: string; status: string };

async function readConversation(chatbotId: string, conversationId: string): Promise<StoredMessage[]> {
  const response = await server
    .api(apiKey)
    .get(`/api/v1/chatbots/${chatbotId}/conversations/${conversationId}`);
  expect(response.status).toBe(200);
  return response.body.data.messages;
}

async function storedMessage(chatbotId: string, conversationId: string, messageId: string) {
  const messages = await readConversation(chatbotId, conversationId);
  return messages.find((message) => message.id === messageId);
}

const chat = (chatbotId: string, body: Record<string, unknown> = {}) =>
  server.api(apiKey).post(`/api/v1/chatbots/${chatbotId}/chat`, { message: 'Hello', ...body });

describe('provider failures', () => {
  it('answers 502 AI_PROVIDER_ERROR without the upstream’s error text, and stores the reply as failed', async () => {
    const bot = await server.createChatbot(apiKey, { model: 'openai/gpt-test' });
    openai.queue({
      status: 500,
      errorBody: { error: { message: 'secret-upstream-detail: shard 7 melted', type: 'server_error' } },
    });

    const response = await chat(bot.id);

    expect(response.status).toBe(502);
    expect(response.body).toEqual({
      success: false,
      error: expect.any(String),
      code: 'AI_PROVIDER_ERROR',
      conversationId: expect.any(String),
      messageId: expect.any(String),
    });
    expect(response.text).not.toContain('secret-upstream-detail');
    expect(response.text).not.toContain('melted');
    const stored = await storedMessage(bot.id, response.body.conversationId, response.body.messageId);
    expect(stored).toMatchObject({ role: 'assistant', status: 'failed' });
  });

  it('answers 502 AI_PROVIDER_ERROR, not a cut-off success, when the upstream’s stream ends without a finish reason or [DONE]', async () => {
    const bot = await server.createChatbot(apiKey, { model: 'openai/gpt-test' });
    const before = await server.api(apiKey).get('/api/v1/workspace');
    openai.queue({ text: 'The shop opens at nine and', failAfterChunks: { count: 3, how: 'end' } });

    const response = await chat(bot.id, { stream: false });

    expect(response.status).toBe(502);
    expect(response.body.code).toBe('AI_PROVIDER_ERROR');
    const stored = await storedMessage(bot.id, response.body.conversationId, response.body.messageId);
    expect(stored).toMatchObject({ role: 'assistant', status: 'failed' });
    const after = await server.api(apiKey).get('/api/v1/workspace');
    expect(after.body.data.credits).toBe(before.body.data.credits);
  });

  it('estimates the token counts of a reply whose server sends none, rather than recording it as free', async () => {
    const bot = await server.createChatbot(apiKey, { model: 'openai/gpt-test' });
    openai.queue({ text: 'Twelve characters and some more words.', omitUsage: true });

    const response = await chat(bot.id, { stream: false });

    expect(response.status).toBe(200);
    // About four characters a token: the message and the 38-character reply.
    expect(response.body.data.usage).toMatchObject({ outputTokens: 10, credits: 1 });
    expect(response.body.data.usage.inputTokens).toBeGreaterThan(0);
  });

  it('answers 504 AI_PROVIDER_TIMEOUT when the upstream never answers, and stores the reply as failed', async () => {
    const bot = await server.createChatbot(apiKey, { model: 'openai/gpt-test' });
    openai.queue({ hang: true });

    const response = await chat(bot.id);

    expect(response.status).toBe(504);
    expect(response.body).toMatchObject({
      success: false,
      code: 'AI_PROVIDER_TIMEOUT',
      conversationId: expect.any(String),
      messageId: expect.any(String),
    });
    const stored = await storedMessage(bot.id, response.body.conversationId, response.body.messageId);
    expect(stored).toMatchObject({ role: 'assistant', status: 'failed' });
    // The silent call is abandoned, not left open.
    await eventually(() => openai.requests[0]?.clientAborted === true);
  });

  it('answers a streaming request whose upstream fails before the first token with an ordinary JSON 502', async () => {
    const bot = await server.createChatbot(apiKey, { model: 'openai/gpt-test' });
    openai.queue({ status: 500 });

    const response = await chat(bot.id, { stream: true });

    expect(response.status).toBe(502);
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(response.body).toMatchObject({ success: false, code: 'AI_PROVIDER_ERROR' });
  });

  it('ends a stream whose upstream goes silent mid-answer with one error event AI_PROVIDER_TIMEOUT', async () => {
    const bot = await server.createChatbot(apiKey, { model: 'openai/gpt-test' });
    // Silent for far longer than AI_PROVIDER_TIMEOUT_MS after the first word.
    openai.queue({ text: 'first then silence', interTokenDelayMs: 3_000 });

    const response = await chat(bot.id, { stream: true });

    expect(response.status).toBe(200);
    const events = eventsOnly(parseSse(response.text));
    expect(events.map((event) => event.event)).toEqual(['start', 'delta', 'error']);
    expect(events.at(-1)?.data).toMatchObject({ success: false, code: 'AI_PROVIDER_TIMEOUT' });
    const { conversationId, messageId } = (events[0]?.data ?? {}) as {
      conversationId: string;
      messageId: string;
    };
    const stored = await storedMessage(bot.id, conversationId, messageId);
    expect(stored).toMatchObject({ status: 'failed', content: 'first ' });
    await eventually(() => openai.requests[0]?.clientAborted === true);
  });

  it('charges nothing for a timed-out reply', async () => {
    const { apiKey: key, workspaceId } = await server.createWorkspace(3);
    const bot = await server.createChatbot(key, { model: 'openai/gpt-test' });
    openai.queue({ hang: true });

    const response = await server.api(key).post(`/api/v1/chatbots/${bot.id}/chat`, { message: 'Hello' });

    expect(response.status).toBe(504);
    expect((await server.api(key).get('/api/v1/workspace')).body.data.credits).toBe(3);
    expect(await sumLedger(server.services.db, workspaceId)).toBe(3);
  });

  it('keeps generating when a streaming client disconnects: the whole reply is stored complete and charged', async () => {
    const { apiKey: key, workspaceId } = await server.createWorkspace(3);
    const bot = await server.createChatbot(key, { model: 'openai/gpt-test' });
    const fullText = Array.from({ length: 40 }, (_, index) => `word${index}`).join(' ');
    openai.queue({ text: fullText, interTokenDelayMs: 10 });
    const client = new AbortController();

    const response = await server.chat(
      key,
      bot.id,
      { message: 'Tell me everything', stream: true },
      client.signal,
    );
    expect(response.status).toBe(200);
    const received = await readUntil(response, 'event: delta');
    client.abort();

    const start = /event: start\ndata: (.+)\n/.exec(received)?.[1];
    const { conversationId, messageId } = JSON.parse(start ?? '{}') as {
      conversationId: string;
      messageId: string;
    };
    let stored: StoredMessage | undefined;
    await eventually(async () => {
      const read = await server.api(key).get(`/api/v1/chatbots/${bot.id}/conversations/${conversationId}`);
      stored = read.body.data.messages.find((message: StoredMessage) => message.id === messageId);
      return stored?.status !== 'generating';
    });
    expect(stored).toMatchObject({ status: 'complete', content: fullText });
    expect(openai.requests.at(-1)?.clientAborted).toBe(false);
    expect((await server.api(key).get('/api/v1/workspace')).body.data.credits).toBe(2);
    expect(await sumLedger(server.services.db, workspaceId)).toBe(2);
  });

  it('keeps generating when a streaming client leaves before the first token', async () => {
    const { apiKey: key } = await server.createWorkspace(3);
    const bot = await server.createChatbot(key, { model: 'openai/gpt-test' });
    // Shorter than this file's AI_PROVIDER_TIMEOUT_MS (300 ms), long enough to leave before it.
    openai.queue({ text: 'worth the wait', firstTokenDelayMs: 150 });
    const client = new AbortController();

    const before = openai.requests.length;
    const pending = server
      .chat(key, bot.id, { message: 'Hello', stream: true }, client.signal)
      .catch((error: unknown) => error);
    await eventually(() => openai.requests.length === before + 1);
    client.abort();
    await pending;

    await eventually(async () => {
      const rows = await server.services.db
        .selectFrom('messages')
        .select(['content', 'status', 'credits'])
        .where('role', '=', 'assistant')
        .where('content', '=', 'worth the wait')
        .execute();
      return rows.length === 1 && rows[0]?.status === 'complete' && rows[0]?.credits === 1;
    });
    expect((await server.api(key).get('/api/v1/workspace')).body.data.credits).toBe(2);
  });
});

describe('ollama/* models', () => {
  it('answer through Ollama’s /api/chat with the instructions, the message and the provider’s token counts', async () => {
    const bot = await server.createChatbot(apiKey, { model: 'ollama/llama3', instructions: 'Be kind.' });
    ollama.queue({ text: 'Hi from llama.', usage: { promptEvalCount: 31, evalCount: 4 } });

    const response = await chat(bot.id, { message: 'Hello llama' });

    expect(response.status).toBe(200);
    expect(response.body.data).toMatchObject({
      response: 'Hi from llama.',
      usage: { inputTokens: 31, outputTokens: 4, credits: 1 },
    });
    expect(ollama.requests).toHaveLength(1);
    expect(ollama.requests[0]?.path).toBe('/api/chat');
    expect(ollama.requests[0]?.body).toMatchObject({
      model: 'llama3',
      stream: true,
      messages: [
        { role: 'system', content: 'Be kind.' },
        { role: 'user', content: 'Hello llama' },
      ],
    });
  });

  it('send the chatbot’s temperature and maxTokens as options.temperature and options.num_predict', async () => {
    const bot = await server.createChatbot(apiKey, {
      model: 'ollama/llama3',
      temperature: 0.35,
      maxTokens: 123,
    });

    const response = await chat(bot.id);

    expect(response.status).toBe(200);
    expect(ollama.requests[0]?.body.options).toMatchObject({ temperature: 0.35, num_predict: 123 });
  });

  it('stream the reply as deltas whose concatenation is the response', async () => {
    const bot = await server.createChatbot(apiKey, { model: 'ollama/llama3' });
    ollama.queue({ text: 'One two three four.' });

    const response = await server.chat(apiKey, bot.id, { message: 'Count', stream: true });
    const text = await response.text();

    const deltas = [...text.matchAll(/event: delta\ndata: (.+)\n/g)].map(
      (match) => (JSON.parse(match[1] ?? '{}') as { content: string }).content,
    );
    expect(deltas.join('')).toBe('One two three four.');
    expect(text).toContain('event: done');
    expect(text).not.toContain('event: error');
  });

  it('answer 502 AI_PROVIDER_ERROR, not a truncated success, when Ollama sends an error line mid-stream', async () => {
    const bot = await server.createChatbot(apiKey, { model: 'ollama/llama3' });
    ollama.queue({ text: 'this reply is cut off half way', errorAfterChunks: 3 });

    const response = await chat(bot.id);

    expect(response.status).toBe(502);
    expect(response.body).toMatchObject({ success: false, code: 'AI_PROVIDER_ERROR' });
    expect(response.text).not.toContain(ollama.errorText);
    const stored = await storedMessage(bot.id, response.body.conversationId, response.body.messageId);
    expect(stored?.status).toBe('failed');
  });

  it('end a stream with one error event, not done, when Ollama sends an error line mid-stream', async () => {
    const bot = await server.createChatbot(apiKey, { model: 'ollama/llama3' });
    ollama.queue({ text: 'this reply is cut off half way', errorAfterChunks: 3, interTokenDelayMs: 5 });

    const response = await chat(bot.id, { stream: true });

    expect(response.status).toBe(200);
    const events = eventsOnly(parseSse(response.text));
    expect(events[0]?.event).toBe('start');
    expect(events.filter((event) => event.event === 'done')).toHaveLength(0);
    expect(events.at(-1)).toMatchObject({ event: 'error', data: { code: 'AI_PROVIDER_ERROR' } });
    expect(response.text).not.toContain(ollama.errorText);
  });

  it('answer 502 AI_PROVIDER_ERROR when Ollama’s stream ends without a done line', async () => {
    const bot = await server.createChatbot(apiKey, { model: 'ollama/llama3' });
    ollama.queue({ text: 'this reply just stops', omitDone: true });

    const response = await chat(bot.id);

    expect(response.status).toBe(502);
    expect(response.body).toMatchObject({ success: false, code: 'AI_PROVIDER_ERROR' });
  });

  it('answer 502 AI_PROVIDER_ERROR without Ollama’s error text when Ollama answers an error status', async () => {
    const bot = await server.createChatbot(apiKey, { model: 'ollama/llama3' });
    ollama.queue({ status: 500 });

    const response = await chat(bot.id);

    expect(response.status).toBe(502);
    expect(response.body).toMatchObject({ success: false, code: 'AI_PROVIDER_ERROR' });
    expect(response.text).not.toContain(ollama.errorText);
  });
});

/** Reads a streamed body until `marker` has arrived; answers what was read. */
async function readUntil(response: Response, marker: string): Promise<string> {
  if (!response.body) throw new Error('no body');
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  while (!text.includes(marker)) {
    const { done, value } = await reader.read();
    if (done) throw new Error(`stream ended before ${marker}: ${text}`);
    text += decoder.decode(value, { stream: true });
  }
  // Keep reading the rest of the current event so its data line is complete.
  while (!text.slice(text.indexOf(marker)).includes('\n\n')) {
    const { done, value } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  return text;
}

describe('provider retries (AI_PROVIDER_MAX_RETRIES=1)', () => {
  let retrying: TestServer;
  let retryKey: string;

  beforeAll(async () => {
    retrying = await startTestServer({
      OPENAI_BASE_URL: openai.baseUrl,
      OPENAI_API_KEY: 'sk-upstream-test',
      AI_PROVIDER_MAX_RETRIES: '1',
    });
    ({ apiKey: retryKey } = await retrying.createWorkspace(1000));
  });

  afterAll(async () => {
    await retrying.close();
  });

  const retryChat = (chatbotId: string, stream: boolean) =>
    retrying.api(retryKey).post(`/api/v1/chatbots/${chatbotId}/chat`, { message: 'Hello', stream });

  // The provider asks for a short wait (Retry-After in milliseconds), which the retry honours.
  const unavailable = { status: 503, errorHeaders: { 'retry-after-ms': '5' } };

  it.each([false, true])(
    'retries a call the provider refused with a retryable status, and answers its second reply (stream: %s)',
    async (stream) => {
      const bot = await retrying.createChatbot(retryKey, { model: 'openai/gpt-test' });
      openai.queue(unavailable, { text: 'Second time lucky.' });

      const response = await retryChat(bot.id, stream);

      expect(response.status).toBe(200);
      const reply = stream
        ? ((eventsOnly(parseSse(response.text)).at(-1) as SseEvent).data as { data: { response: string } })
            .data
        : response.body.data;
      expect(reply.response).toBe('Second time lucky.');
      expect(openai.requests).toHaveLength(2);
    },
  );

  it('does not retry an error the provider calls final (400), and answers 502 after one call', async () => {
    const bot = await retrying.createChatbot(retryKey, { model: 'openai/gpt-test' });
    openai.queue({
      status: 400,
      errorBody: { error: { message: 'bad request', type: 'invalid_request_error' } },
    });

    const response = await retryChat(bot.id, false);

    expect(response.status).toBe(502);
    expect(response.body.code).toBe('AI_PROVIDER_ERROR');
    expect(openai.requests).toHaveLength(1);
  });

  it('gives up after its one retry, answering 502 after two calls', async () => {
    const bot = await retrying.createChatbot(retryKey, { model: 'openai/gpt-test' });
    openai.queue(unavailable, unavailable);

    const response = await retryChat(bot.id, false);

    expect(response.status).toBe(502);
    expect(response.body.code).toBe('AI_PROVIDER_ERROR');
    expect(openai.requests).toHaveLength(2);
  });
});
