import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeOpenAi, startFakeOpenAi } from '../helpers/fake-openai.ts';
import { eventsOnly, parseSse } from '../helpers/sse.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';

const UPSTREAM_KEY = 'sk-upstream-secret-Zq8Jt3Vn5Wm2Lp9X';
const GENERATED_ID = /^req_[0-9a-f]{32}$/;

let fake: FakeOpenAi;
let server: TestServer;
let apiKey: string;
let bot: { id: string };

beforeAll(async () => {
  fake = await startFakeOpenAi();
  // The most verbose level, so that nothing the server could log about a request is left out.
  server = await startTestServer({
    OPENAI_BASE_URL: fake.baseUrl,
    OPENAI_API_KEY: UPSTREAM_KEY,
    LOG_LEVEL: 'trace',
  });
  ({ apiKey } = await server.createWorkspace(1000));
  bot = await server.createChatbot(apiKey, { model: 'openai/gpt-test' });
});

afterAll(async () => {
  await server.close();
  await fake.close();
});

beforeEach(() => {
  fake.defaultReply = { text: 'Hello from the fake model.' };
});

const freshId = () => `test-${randomUUID()}`;

type LogLine = { requestId?: string; msg?: string; level: number; [field: string]: unknown };
const parsedLogLines = (): LogLine[] => server.logLines.map((line) => JSON.parse(line) as LogLine);
const linesOf = (requestId: string) => parsedLogLines().filter((line) => line.requestId === requestId);

/** Sends a request as a client would, with the given X-Request-Id (or none), and reads the whole body. */
async function request(
  path: string,
  options: {
    method?: string;
    body?: string;
    key?: string | null;
    requestId?: string;
    contentType?: string;
  } = {},
) {
  const headers: Record<string, string> = {};
  if (options.key !== null) headers.authorization = `Bearer ${options.key ?? apiKey}`;
  if (options.requestId !== undefined) headers['x-request-id'] = options.requestId;
  if (options.body !== undefined) headers['content-type'] = options.contentType ?? 'application/json';
  const response = await fetch(`${server.baseUrl}${path}`, {
    method: options.method ?? 'GET',
    headers,
    body: options.body,
  });
  return { response, text: await response.text() };
}

const chatBody = (fields: Record<string, unknown> = {}) => JSON.stringify({ message: 'Hello', ...fields });

type Kind = { label: string; build: () => Parameters<typeof request>; beforeRouting?: boolean };

/** One of every kind of response: success, error, unknown route, stream, probe, oversized, bad URL. */
const kinds: Kind[] = [
  { label: 'a JSON success', build: () => ['/api/v1/workspace'] },
  {
    label: 'a chat reply',
    build: () => [`/api/v1/chatbots/${bot.id}/chat`, { method: 'POST', body: chatBody() }],
  },
  {
    label: 'a Server-Sent Events stream',
    build: () => [`/api/v1/chatbots/${bot.id}/chat`, { method: 'POST', body: chatBody({ stream: true }) }],
  },
  { label: 'a 401', build: () => ['/api/v1/workspace', { key: 'sk-workspace_unknown' }] },
  {
    label: 'a 400',
    build: () => [`/api/v1/chatbots/${bot.id}/chat`, { method: 'POST', body: '{"message":' }],
  },
  { label: 'a 404 chatbot', build: () => ['/api/v1/chatbots/no-such-chatbot'] },
  { label: 'a 404 route', build: () => ['/api/v1/no-such-route'] },
  { label: 'a 404 outside the API', build: () => ['/favicon.ico', { key: null }] },
  {
    label: 'a 413',
    build: () => [
      `/api/v1/chatbots/${bot.id}/chat`,
      { method: 'POST', body: chatBody({ message: 'x'.repeat(1_100_000) }) },
    ],
  },
  {
    label: 'a 415',
    build: () => [
      `/api/v1/chatbots/${bot.id}/chat`,
      { method: 'POST', body: 'Hello', contentType: 'text/plain' },
    ],
  },
  { label: 'a health probe', build: () => ['/healthz', { key: null }] },
  // Refused by the router itself, before any hook runs.
  { label: 'a badly encoded URL', build: () => ['/api/v1/chatbots/%E0%A4%A'], beforeRouting: true },
  {
    label: 'an over-long path parameter',
    build: () => [`/api/v1/chatbots/${'x'.repeat(500)}`],
    beforeRouting: true,
  },
];

describe('X-Request-Id', () => {
  it.each(kinds)('is generated for $label', async ({ build }) => {
    const [path, options] = build();

    const { response } = await request(path, options);

    expect(response.headers.get('x-request-id')).toMatch(GENERATED_ID);
  });

  it.each(kinds)('echoes a well-formed incoming id on $label', async ({ build }) => {
    const [path, options] = build();
    const requestId = freshId();

    const { response } = await request(path, { ...options, requestId });

    expect(response.headers.get('x-request-id')).toBe(requestId);
  });

  it('carries the id on the stream’s headers, before the first event', async () => {
    const requestId = freshId();

    const { response, text } = await request(`/api/v1/chatbots/${bot.id}/chat`, {
      method: 'POST',
      body: chatBody({ stream: true }),
      requestId,
    });

    expect(response.headers.get('content-type')).toBe('text/event-stream');
    expect(response.headers.get('x-request-id')).toBe(requestId);
    expect(eventsOnly(parseSse(text)).at(-1)?.event).toBe('done');
  });

  it.each([
    ['every allowed character', 'Az09._:-'],
    ['128 characters', 'a'.repeat(128)],
    ['a UUID', randomUUID()],
  ])('echoes an id of %s', async (_label, requestId) => {
    const { response } = await request('/api/v1/workspace', { requestId });

    expect(response.headers.get('x-request-id')).toBe(requestId);
  });

  it.each([
    ['129 characters', 'a'.repeat(129)],
    ['spaces', 'my request id'],
    ['disallowed characters', 'id$with%odd&chars'],
    ['a semicolon and quotes', 'abc;"def"'],
    ['a slash', 'a/b'],
    ['log-forging braces', '{"level":60}'],
    ['only whitespace', '   '],
  ])('replaces an id with %s by a generated one', async (_label, requestId) => {
    const { response } = await request('/api/v1/workspace', { requestId });

    const answered = response.headers.get('x-request-id');
    expect(answered).toMatch(GENERATED_ID);
    expect(answered).not.toBe(requestId);
  });

  it('generates a different id for every request', async () => {
    const ids = new Set<string | null>();
    for (let index = 0; index < 20; index++)
      ids.add((await request('/api/v1/workspace')).response.headers.get('x-request-id'));

    expect(ids.size).toBe(20);
  });
});

describe('the request id in the server’s log', () => {
  it.each(kinds)('labels the lines of $label', async ({ build, beforeRouting }) => {
    const [path, options] = build();
    const requestId = freshId();

    const { response } = await request(path, { ...options, requestId });

    const lines = linesOf(requestId);
    expect(lines.map((line) => line.msg)).toContain('incoming request');
    // Fastify logs the completion of routed requests only; a URL the router refused has just its first line.
    if (!beforeRouting) {
      const completed = lines.find((line) => line.msg === 'request completed');
      expect(completed?.res).toMatchObject({ statusCode: response.status });
    }
  });

  it('labels the lines a route writes itself: a finished stream', async () => {
    const requestId = freshId();

    await request(`/api/v1/chatbots/${bot.id}/chat`, {
      method: 'POST',
      body: chatBody({ stream: true }),
      requestId,
    });

    expect(linesOf(requestId).map((line) => line.msg)).toContain('stream completed');
  });

  it('labels the warning of a failed provider call with the id the client sees', async () => {
    fake.queue({ status: 500 });
    const requestId = freshId();

    const { response } = await request(`/api/v1/chatbots/${bot.id}/chat`, {
      method: 'POST',
      body: chatBody(),
      requestId,
    });

    expect(response.status).toBe(502);
    const warnings = linesOf(requestId).filter((line) => line.level === 40);
    expect(warnings.map((line) => line.code)).toContain('AI_PROVIDER_ERROR');
  });

  it('gives every line written about a request that request’s id', async () => {
    for (const { build } of kinds) {
      const [path, options] = build();
      await request(path, options);
    }

    const aboutARequest = parsedLogLines().filter((line) => 'req' in line || 'res' in line);
    expect(aboutARequest.length).toBeGreaterThan(kinds.length);
    for (const line of aboutARequest)
      expect(line.requestId, JSON.stringify(line)).toEqual(expect.any(String));
  });
});

describe('secrets in the server’s log', () => {
  it('never include a workspace API key nor the upstream provider key, whatever the request', async () => {
    const created = await server.api(apiKey).post('/api/v1/api-keys', { name: 'Logged?' });
    const newKey: string = created.body.data.key;
    await server.api(apiKey).delete(`/api/v1/api-keys/${created.body.data.id}`);
    fake.queue({
      status: 401,
      errorBody: { error: { message: 'Incorrect API key provided', type: 'auth' } },
    });
    fake.queue({ text: 'this stream breaks', failAfterChunks: { count: 1, how: 'error-chunk' } });

    await request(`/api/v1/chatbots/${bot.id}/chat`, { method: 'POST', body: chatBody() });
    await request(`/api/v1/chatbots/${bot.id}/chat`, { method: 'POST', body: chatBody({ stream: true }) });
    await request(`/api/v1/chatbots/${bot.id}/chat`, { method: 'POST', body: chatBody({ stream: true }) });
    await request('/api/v1/workspace', { key: newKey });
    await fetch(`${server.baseUrl}/api/v1/workspace`, { headers: { authorization: `Basic ${apiKey}` } });
    await fetch(`${server.baseUrl}/api/v1/workspace`, { headers: { authorization: apiKey } });
    await fetch(`${server.baseUrl}/api/v1/workspace`, { headers: { authorization: `Bearer ${apiKey}x` } });
    await request(`/api/v1/chatbots/${bot.id}/chat`, { method: 'POST', body: chatBody({ message: '' }) });

    const log = server.logLines.join('\n');
    expect(log.length).toBeGreaterThan(0);
    for (const key of [apiKey, newKey]) {
      expect(log).not.toContain(key);
      expect(log).not.toContain(key.slice('sk-workspace_'.length));
    }
    expect(log).not.toContain(UPSTREAM_KEY);
    expect(
      fake.requests.some((received) => received.headers.authorization === `Bearer ${UPSTREAM_KEY}`),
    ).toBe(true);
  });
});
