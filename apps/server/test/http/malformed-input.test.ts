import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiResponse, startTestServer, type TestServer } from '../helpers/test-server.ts';

// Bodies are written as raw JSON text where it matters: `\\ud800` puts the six characters \ud800 in the
// request, a lone surrogate once parsed, which no UTF-8 encoder could send otherwise.

let server: TestServer;
let apiKey: string;

beforeAll(async () => {
  server = await startTestServer();
  ({ apiKey } = await server.createWorkspace(100_000));
});

afterAll(async () => {
  await server.close();
});

const MANY_REQUESTS = { requests: 1_000_000, windowSeconds: 60 };
const OVER_ONE_MEBIBYTE = 1_048_576 + 1024;

const send = (method: string, path: string, rawBody: string, headers: Record<string, string> = {}) =>
  server.api(apiKey).send(method, path, rawBody, headers);

/** The failure envelope with a human sentence: no 500, no framework wording, no stack trace. */
function expectFailure(response: ApiResponse, status: number, code: string): void {
  expect(response.status, response.text).toBe(status);
  expect(response.headers.get('content-type')).toContain('application/json');
  expect(response.headers.get('x-request-id')).toBeTruthy();
  const { success, error, code: actualCode, ...extra } = response.body;
  expect({ success, code: actualCode }).toEqual({ success: false, code });
  expect(typeof error).toBe('string');
  expect(error).toMatch(/^[A-Z]/);
  expect(Object.keys(extra).every((key) => key === 'details')).toBe(true);
  expect(response.text).not.toMatch(/FST_|\bat .+:\d+:\d+|node_modules|\.ts\b|SyntaxError|statusCode/);
}

const expectNotPolluted = () => {
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(Object.hasOwn(Object.prototype, 'polluted')).toBe(false);
};

/** Raw JSON texts the chat endpoint must refuse with 400 VALIDATION_ERROR. */
/** JSON text of `depth` objects nested in one another around `leaf`: {"a":{"a":...leaf...}}. */
const nested = (depth: number, leaf: string) => `${'{"a":'.repeat(depth)}${leaf}${'}'.repeat(depth)}`;

const invalidChatBodies: [string, string][] = [
  ['invalid JSON (cut short)', '{"message":'],
  ['invalid JSON (single quotes)', "{'message': 'Hello'}"],
  ['invalid JSON (trailing comma)', '{"message":"Hello",}'],
  ['JSON followed by garbage', '{"message":"Hello"} and more'],
  ['an empty body with a JSON content type', ''],
  ['a JSON array', '[]'],
  ['a JSON array holding a valid body', '[{"message":"Hello"}]'],
  ['null', 'null'],
  ['a JSON string', '"Hello"'],
  ['a JSON number', '42'],
  ['true', 'true'],
  ['message as a number', '{"message":123}'],
  ['message as null', '{"message":null}'],
  ['message as an array', '{"message":["Hello"]}'],
  ['message as an object', '{"message":{"text":"Hello"}}'],
  ['no message', '{"stream":false}'],
  ['stream as a string', '{"message":"Hello","stream":"true"}'],
  ['stream as a number', '{"message":"Hello","stream":1}'],
  ['metadata as an array', '{"message":"Hello","metadata":[]}'],
  ['metadata as a string', '{"message":"Hello","metadata":"x"}'],
  ['metadata as a number', '{"message":"Hello","metadata":5}'],
  ['metadata as null', '{"message":"Hello","metadata":null}'],
  ['conversationId as a number', '{"message":"Hello","conversationId":123}'],
  ['an empty message', '{"message":""}'],
  ['a whitespace-only message', '{"message":"  \\n\\t \\u00a0 "}'],
  ['a message of 32,001 characters', JSON.stringify({ message: 'x'.repeat(32_001) })],
  ['a message of 32,001 emoji', JSON.stringify({ message: '😀'.repeat(32_001) })],
  ['metadata of 16 KB and one byte', JSON.stringify({ message: 'Hi', metadata: { k: 'x'.repeat(16_377) } })],
  ['a lone high surrogate in the message', '{"message":"\\ud800"}'],
  ['a lone low surrogate in the message', '{"message":"a\\udc00b"}'],
  ['surrogates in the wrong order', '{"message":"\\udc00\\ud800"}'],
  ['a NUL character in the message', '{"message":"a\\u0000b"}'],
  ['a lone surrogate in a metadata value', '{"message":"Hello","metadata":{"k":"\\ud800"}}'],
  ['a lone surrogate deep in metadata', '{"message":"Hello","metadata":{"a":[{"b":"x\\udfff"}]}}'],
  ['a lone surrogate in a metadata key', '{"message":"Hello","metadata":{"\\ud800":"v"}}'],
  ['a __proto__ key in the body', '{"message":"Hello","__proto__":{"polluted":true}}'],
  ['constructor.prototype in the body', '{"message":"Hello","constructor":{"prototype":{"polluted":true}}}'],
  ['a __proto__ key in metadata', '{"message":"Hello","metadata":{"__proto__":{"polluted":true}}}'],
  [
    'constructor.prototype in metadata',
    '{"message":"Hello","metadata":{"constructor":{"prototype":{"polluted":true}}}}',
  ],
  [
    'a __proto__ key deep in metadata',
    '{"message":"Hello","metadata":{"a":{"b":{"__proto__":{"polluted":1}}}}}',
  ],
  ['metadata 11 levels deep', `{"message":"Hello","metadata":${nested(11, '1')}}`],
  ['metadata 10,000 objects deep', `{"message":"Hello","metadata":${nested(10_000, '1')}}`],
  [
    'metadata 10,000 arrays deep',
    `{"message":"Hello","metadata":{"a":${'['.repeat(9_999)}${']'.repeat(9_999)}}}`,
  ],
  [
    'metadata 10,000 deep with a __proto__ key',
    `{"message":"Hello","metadata":${nested(10_000, '{"__proto__":1}')}}`,
  ],
  [
    'metadata 10,000 deep with a constructor key',
    `{"message":"Hello","metadata":${nested(10_000, '{"constructor":{"prototype":1}}')}}`,
  ],
  ['a body of 10,000 nested arrays', `${'['.repeat(10_000)}${']'.repeat(10_000)}`],
  ['a body of 10,000 nested objects', nested(10_000, '1')],
  ['a message 10,000 deep', `{"message":${nested(10_000, '"x"')}}`],
  ['a body of 200,000 nested arrays', `${'['.repeat(200_000)}${']'.repeat(200_000)}`],
];

/** Text that is odd but valid Unicode: it must be stored and returned exactly. */
const oddButValidText = [
  ['emoji with skin tones and joiners', '👋🏽 👨‍👩‍👧‍👦 🏳️‍🌈 🇯🇵'],
  ['right-to-left text with direction marks', 'مرحبا بالعالم \u200f שלום עולם \u202bembedded\u202c'],
  ['combining characters', 'e\u0301 n\u0303 Z\u0324\u0354\u0367\u0311a\u0308\u0356 \u0061\u030a'],
  ['astral and special characters', '𝕳𝖊𝖑𝖑𝖔 \ufeff BOM \u2028 line \u2029 paragraph \uffff 中文 \t tab'],
] as const;

describe('POST /api/v1/chatbots/:id/chat with malformed input', () => {
  let rejectingBot: { id: string };

  beforeAll(async () => {
    rejectingBot = await server.createChatbot(apiKey, { rateLimit: MANY_REQUESTS });
  });

  const conversationsOf = async (chatbotId: string) =>
    (await server.api(apiKey).get(`/api/v1/chatbots/${chatbotId}/conversations`)).body.data;

  it.each(invalidChatBodies)(
    'answers 400 VALIDATION_ERROR to %s, and stores nothing',
    async (_label, body) => {
      const response = await send('POST', `/api/v1/chatbots/${rejectingBot.id}/chat`, body);

      expectFailure(response, 400, 'VALIDATION_ERROR');
      expect(await conversationsOf(rejectingBot.id)).toEqual([]);
      expectNotPolluted();
    },
  );

  it('names the field at fault in the details of a validation error', async () => {
    const response = await send(
      'POST',
      `/api/v1/chatbots/${rejectingBot.id}/chat`,
      '{"message":"Hi","stream":"yes"}',
    );

    expect(response.body.details).toEqual([{ path: 'body.stream', message: expect.any(String) }]);
    expect(response.body.error).toContain('body.stream');
  });

  it('reports a body that is not an object as a problem of the body itself', async () => {
    const response = await send('POST', `/api/v1/chatbots/${rejectingBot.id}/chat`, '[]');

    expect(response.body.details).toEqual([{ path: 'body', message: expect.any(String) }]);
  });

  it('answers 413 PAYLOAD_TOO_LARGE to a body over the 1 MiB limit, and stores nothing', async () => {
    const body = JSON.stringify({ message: 'x'.repeat(OVER_ONE_MEBIBYTE) });

    const response = await send('POST', `/api/v1/chatbots/${rejectingBot.id}/chat`, body);

    expectFailure(response, 413, 'PAYLOAD_TOO_LARGE');
    expect(await conversationsOf(rejectingBot.id)).toEqual([]);
  });

  it('answers 413 PAYLOAD_TOO_LARGE to a chunked body over the limit sent without Content-Length', async () => {
    const chunk = new TextEncoder().encode('x'.repeat(64 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"message":"'));
      },
      pull(controller) {
        if (sent > OVER_ONE_MEBIBYTE) {
          controller.enqueue(new TextEncoder().encode('"}'));
          controller.close();
          return;
        }
        sent += chunk.length;
        controller.enqueue(chunk);
      },
    });

    const response = await fetch(`${server.baseUrl}/api/v1/chatbots/${rejectingBot.id}/chat`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: stream,
      duplex: 'half',
    } as RequestInit);

    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({
      success: false,
      error: 'The request body is too large',
      code: 'PAYLOAD_TOO_LARGE',
    });
    expect(await conversationsOf(rejectingBot.id)).toEqual([]);
  });

  it('answers 415 UNSUPPORTED_MEDIA_TYPE to a text/plain body, and stores nothing', async () => {
    const response = await send('POST', `/api/v1/chatbots/${rejectingBot.id}/chat`, '{"message":"Hello"}', {
      'content-type': 'text/plain',
    });

    expectFailure(response, 415, 'UNSUPPORTED_MEDIA_TYPE');
    expect(await conversationsOf(rejectingBot.id)).toEqual([]);
  });

  it.each(oddButValidText)('stores %s exactly, in the message and in metadata', async (_label, text) => {
    const bot = await server.createChatbot(apiKey, { rateLimit: MANY_REQUESTS });
    const metadata = { text, [text]: 'as a key', nul: 'a\u0000b', nested: { list: [text, 1, null, true] } };

    const response = await server
      .api(apiKey)
      .post(`/api/v1/chatbots/${bot.id}/chat`, { message: `Hi ${text}`, metadata });

    expect(response.status, response.text).toBe(200);
    const conversation = await server
      .api(apiKey)
      .get(`/api/v1/chatbots/${bot.id}/conversations/${response.body.data.conversationId}`);
    const [user] = conversation.body.data.messages;
    expect(user.content).toBe(`Hi ${text}`);
    expect(user.metadata).toStrictEqual(metadata);
  });

  it.each([
    ['32,000 characters', 'x'.repeat(32_000)],
    ['32,000 emoji (characters, not UTF-16 units, are counted)', '😀'.repeat(32_000)],
  ])('accepts a message of exactly %s and stores it whole', async (_label, message) => {
    const bot = await server.createChatbot(apiKey, { rateLimit: MANY_REQUESTS });

    const response = await server.api(apiKey).post(`/api/v1/chatbots/${bot.id}/chat`, { message });

    expect(response.status, response.text).toBe(200);
    const conversation = await server
      .api(apiKey)
      .get(`/api/v1/chatbots/${bot.id}/conversations/${response.body.data.conversationId}`);
    expect(conversation.body.data.messages[0].content).toBe(message);
  });

  it('accepts metadata of exactly 16 KB serialized', async () => {
    const metadata = { k: 'x'.repeat(16_376) };
    expect(Buffer.byteLength(JSON.stringify(metadata))).toBe(16 * 1024);

    const response = await server
      .api(apiKey)
      .post(`/api/v1/chatbots/${rejectingBot.id}/chat`, { message: 'Hi', metadata });

    expect(response.status, response.text).toBe(200);
    await server
      .api(apiKey)
      .delete(`/api/v1/chatbots/${rejectingBot.id}/conversations/${response.body.data.conversationId}`);
  });

  it('accepts metadata 10 levels deep and returns it as sent', async () => {
    const metadata = JSON.parse(nested(10, '"deepest"'));

    const response = await server
      .api(apiKey)
      .post(`/api/v1/chatbots/${rejectingBot.id}/chat`, { message: 'Hi', metadata });

    expect(response.status, response.text).toBe(200);
    const path = `/api/v1/chatbots/${rejectingBot.id}/conversations/${response.body.data.conversationId}`;
    expect((await server.api(apiKey).get(path)).body.data.messages[0].metadata).toEqual(metadata);
    await server.api(apiKey).delete(path);
  });

  it.each([
    ['10,000 objects deep', nested(10_000, '1')],
    ['10,000 objects deep with a __proto__ key', nested(10_000, '{"__proto__":1}')],
    ['10,000 objects deep with constructor.prototype', nested(10_000, '{"constructor":{"prototype":1}}')],
  ])('ignores an unknown field %s, and keeps answering', async (_label, deep) => {
    const body = `{"message":"Hello","extra":${deep}}`;
    const response = await send('POST', `/api/v1/chatbots/${rejectingBot.id}/chat`, body);

    expect([200, 400], response.text).toContain(response.status);
    expect(response.body.success).toBe(response.status === 200);
    expect((await server.api(apiKey).get('/api/v1/workspace')).status).toBe(200);
  });

  it('ignores unknown fields and does not store them', async () => {
    const bot = await server.createChatbot(apiKey, { rateLimit: MANY_REQUESTS });

    const response = await server.api(apiKey).post(`/api/v1/chatbots/${bot.id}/chat`, {
      message: 'Hello',
      temperature: 'hot',
      model: 'openai/gpt-4o',
      extra: { nested: [1, 2] },
    });

    expect(response.status, response.text).toBe(200);
    const conversation = await server
      .api(apiKey)
      .get(`/api/v1/chatbots/${bot.id}/conversations/${response.body.data.conversationId}`);
    expect(conversation.body.data.messages[0]).toMatchObject({ content: 'Hello', metadata: null });
  });
});

/** Raw JSON texts a chatbot create or update must refuse with 400 VALIDATION_ERROR. */
const invalidChatbotBodies: [string, string][] = [
  ['invalid JSON', '{"name":'],
  ['an empty body with a JSON content type', ''],
  ['a JSON array', '[]'],
  ['null', 'null'],
  ['a JSON string', '"Bot"'],
  ['name as a number', '{"name":123}'],
  ['an empty name', '{"name":""}'],
  ['a whitespace-only name', '{"name":"   "}'],
  ['temperature as a string', '{"name":"Bot","temperature":"hot"}'],
  ['temperature out of range', '{"name":"Bot","temperature":3}'],
  ['maxTokens as a fraction', '{"name":"Bot","maxTokens":1.5}'],
  ['streaming as a string', '{"name":"Bot","streaming":"true"}'],
  ['rateLimit.requests as a string', '{"name":"Bot","rateLimit":{"requests":"5","windowSeconds":60}}'],
  ['rateLimit as null', '{"name":"Bot","rateLimit":null}'],
  ['an unknown status', '{"name":"Bot","status":"paused"}'],
  ['a model without a provider', '{"name":"Bot","model":"gpt-4o"}'],
  ['a lone surrogate in the name', '{"name":"\\ud800"}'],
  ['a NUL character in the instructions', '{"name":"Bot","instructions":"a\\u0000b"}'],
  ['instructions of 32,001 characters', JSON.stringify({ name: 'Bot', instructions: 'x'.repeat(32_001) })],
  ['a __proto__ key', '{"name":"Bot","__proto__":{"polluted":true}}'],
  ['constructor.prototype', '{"name":"Bot","constructor":{"prototype":{"polluted":true}}}'],
];

describe('POST /api/v1/chatbots with malformed input', () => {
  const chatbotCount = async () =>
    (await server.api(apiKey).get('/api/v1/chatbots?limit=100')).body.data.length;

  it.each([...invalidChatbotBodies, ['no name', '{"instructions":"Be brief."}']])(
    'answers 400 VALIDATION_ERROR to %s, and creates nothing',
    async (_label, body) => {
      const before = await chatbotCount();

      const response = await send('POST', '/api/v1/chatbots', body);

      expectFailure(response, 400, 'VALIDATION_ERROR');
      expect(await chatbotCount()).toBe(before);
      expectNotPolluted();
    },
  );

  it('answers 413 PAYLOAD_TOO_LARGE to a body over the 1 MiB limit, and creates nothing', async () => {
    const before = await chatbotCount();

    const response = await send(
      'POST',
      '/api/v1/chatbots',
      JSON.stringify({ name: 'Big', instructions: 'x'.repeat(OVER_ONE_MEBIBYTE) }),
    );

    expectFailure(response, 413, 'PAYLOAD_TOO_LARGE');
    expect(await chatbotCount()).toBe(before);
  });

  it('answers 415 UNSUPPORTED_MEDIA_TYPE to a text/plain body', async () => {
    const response = await send('POST', '/api/v1/chatbots', '{"name":"Bot"}', {
      'content-type': 'text/plain',
    });

    expectFailure(response, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it.each(oddButValidText)('stores a name and instructions of %s exactly', async (_label, text) => {
    const created = await server.api(apiKey).post('/api/v1/chatbots', { name: text, instructions: text });

    expect(created.status, created.text).toBe(201);
    const read = await server.api(apiKey).get(`/api/v1/chatbots/${created.body.data.id}`);
    expect(read.body.data).toMatchObject({ name: text.trim(), instructions: text });
  });

  it('ignores unknown fields', async () => {
    const response = await server.api(apiKey).post('/api/v1/chatbots', {
      name: 'Plain',
      color: 'blue',
      workspaceId: 'someone-else',
      id: 'chosen-id',
    });

    expect(response.status, response.text).toBe(201);
    expect(response.body.data).not.toHaveProperty('color');
    expect(response.body.data.id).not.toBe('chosen-id');
  });
});

describe('PATCH /api/v1/chatbots/:id with malformed input', () => {
  let bot: { id: string };

  beforeAll(async () => {
    bot = await server.createChatbot(apiKey, { name: 'Unchanged', instructions: 'Stay as you are.' });
  });

  const readBot = async () => (await server.api(apiKey).get(`/api/v1/chatbots/${bot.id}`)).body.data;

  it.each(invalidChatbotBodies)(
    'answers 400 VALIDATION_ERROR to %s, and changes nothing',
    async (_label, body) => {
      const before = await readBot();

      const response = await send('PATCH', `/api/v1/chatbots/${bot.id}`, body);

      expectFailure(response, 400, 'VALIDATION_ERROR');
      expect(await readBot()).toEqual(before);
      expectNotPolluted();
    },
  );

  it('answers 413 PAYLOAD_TOO_LARGE to a body over the 1 MiB limit, and changes nothing', async () => {
    const before = await readBot();

    const response = await send(
      'PATCH',
      `/api/v1/chatbots/${bot.id}`,
      JSON.stringify({ instructions: 'x'.repeat(OVER_ONE_MEBIBYTE) }),
    );

    expectFailure(response, 413, 'PAYLOAD_TOO_LARGE');
    expect(await readBot()).toEqual(before);
  });

  it.each([
    ['a badly percent-encoded id', '/api/v1/chatbots/%E0%A4%A'],
    ['an encoded lone surrogate as the id', '/api/v1/chatbots/%ED%A0%80'],
  ])('answers 400 VALIDATION_ERROR in the envelope to %s', async (_label, path) => {
    const response = await send('PATCH', path, '{"name":"Renamed"}');

    expectFailure(response, 400, 'VALIDATION_ERROR');
  });

  it.each([
    ['an id of 65 characters', 'x'.repeat(65)],
    ['an id of 500 characters', 'x'.repeat(500)],
    ['an id of 5,000 characters', 'x'.repeat(5000)],
    ['an id with a NUL', 'a%00b'],
    ['an id with dots and spaces', 'a.b%20c'],
  ])('answers the resource’s 404 to %s, as to any unknown id', async (_label, id) => {
    const paths = [
      `/api/v1/chatbots/${id}`,
      `/api/v1/chatbots/${id}/conversations`,
      `/api/v1/chatbots/${id}/knowledge`,
      `/api/v1/chatbots/${bot.id}/conversations/${id}`,
      `/api/v1/chatbots/${bot.id}/knowledge/${id}`,
    ];
    const codes = [
      'CHATBOT_NOT_FOUND',
      'CHATBOT_NOT_FOUND',
      'CHATBOT_NOT_FOUND',
      'CONVERSATION_NOT_FOUND',
      'KNOWLEDGE_SOURCE_NOT_FOUND',
    ];
    for (const [index, path] of paths.entries()) {
      expectFailure(await server.api(apiKey).get(path), 404, codes[index] as string);
    }
    expectFailure(
      await send('PATCH', `/api/v1/chatbots/${id}`, '{"name":"Renamed"}'),
      404,
      'CHATBOT_NOT_FOUND',
    );
    expectFailure(await server.api(apiKey).delete(`/api/v1/api-keys/${id}`), 404, 'API_KEY_NOT_FOUND');
  });

  it.each(oddButValidText)('stores instructions of %s exactly', async (_label, text) => {
    const response = await server.api(apiKey).patch(`/api/v1/chatbots/${bot.id}`, { instructions: text });

    expect(response.status, response.text).toBe(200);
    expect((await readBot()).instructions).toBe(text);
  });

  it('ignores unknown fields and changes nothing but updatedAt', async () => {
    const before = await readBot();

    const response = await server
      .api(apiKey)
      .patch(`/api/v1/chatbots/${bot.id}`, { color: 'blue', id: 'another-id', workspaceId: 'someone-else' });

    expect(response.status, response.text).toBe(200);
    const after = await readBot();
    expect({ ...after, updatedAt: undefined }).toEqual({ ...before, updatedAt: undefined });
  });
});

describe('deeply nested JSON bodies on every kind of route', () => {
  it('never answer a 500: 100,000 nested objects in an unknown field or in metadata, 300,000 nested arrays', async () => {
    const bot = await server.createChatbot(apiKey);
    const deepObject = `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`;
    const bodies = [
      `{"name":"Deep","extra":${deepObject}}`,
      `{"metadata":${deepObject}}`,
      `${'['.repeat(300_000)}${']'.repeat(300_000)}`,
    ];
    const routes = [
      ['POST', '/api/v1/chatbots'],
      ['PATCH', `/api/v1/chatbots/${bot.id}`],
      ['POST', '/api/v1/api-keys'],
      ['POST', `/api/v1/chatbots/${bot.id}/knowledge`],
      ['POST', '/api/auth/login'],
      ['POST', '/api/auth/setup'],
      ['POST', '/api/v1/invitations'],
    ] as const;
    for (const [method, path] of routes) {
      for (const body of bodies) {
        const response = await send(method, path, body);
        expect(response.status, `${method} ${path}: ${response.text.slice(0, 200)}`).toBeLessThan(500);
        expect(response.body.success, `${method} ${path}`).toBeTypeOf('boolean');
      }
    }
  });
});

describe('ids and query text with a NUL character', () => {
  it.each([
    ['GET', '/api/v1/chatbots?cursor=%00'],
    ['GET', '/api/v1/credits/ledger?cursor=a%00b'],
    ['GET', '/api/v1/conversations?q=%00'],
    ['GET', '/api/v1/conversations?userId=%00'],
    ['GET', '/api/v1/conversations?cursor=%00'],
  ])('answers %s %s with 400 VALIDATION_ERROR (PostgreSQL refuses NUL in a query)', async (method, path) => {
    const response = await server.api(apiKey).send(method, path);

    expectFailure(response, 400, 'VALIDATION_ERROR');
  });

  it.each([
    ['GET', '/api/v1/chatbots/%00', 'CHATBOT_NOT_FOUND'],
    ['DELETE', '/api/v1/chatbots/%00', 'CHATBOT_NOT_FOUND'],
    ['POST', '/api/v1/chatbots/bot%00/chat', 'CHATBOT_NOT_FOUND'],
    ['GET', '/api/v1/chatbots/{bot}/conversations/%00', 'CONVERSATION_NOT_FOUND'],
    ['GET', '/api/v1/chatbots/{bot}/knowledge/%00', 'KNOWLEDGE_SOURCE_NOT_FOUND'],
    ['DELETE', '/api/v1/api-keys/%00', 'API_KEY_NOT_FOUND'],
  ])('answers %s %s with its resource’s 404 %s, as any unknown id', async (method, path, code) => {
    const bot = await server.createChatbot(apiKey);
    const body = method === 'POST' ? { message: 'Hi' } : undefined;

    const response = await server.api(apiKey).send(method, path.replace('{bot}', bot.id), body);

    expectFailure(response, 404, code);
  });
});
