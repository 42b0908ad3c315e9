import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeOpenAi, startFakeOpenAi } from '../helpers/fake-openai.ts';
import { createSchemaChecker, fetchOpenApiDocument, type OpenApiDocument } from '../helpers/openapi.ts';
import { findAnswerProblems, type RawRequest, sendVerbatim } from '../helpers/openapi-answers.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';

// The OpenAI-compatible routes' answers, each judged by what /openapi.json documents for them: the status, the
// body (JSON, or every data: line of a stream) and the headers.

let fake: FakeOpenAi;
let server: TestServer;
let document: OpenApiDocument;
let apiKey: string;
let chatbotId: string;

beforeAll(async () => {
  fake = await startFakeOpenAi();
  server = await startTestServer({ OPENAI_BASE_URL: fake.baseUrl, OPENAI_API_KEY: 'sk-upstream-test' });
  ({ apiKey } = await server.createWorkspace(1000));
  chatbotId = (
    await server.createChatbot(apiKey, {
      model: 'openai/gpt-test',
      rateLimit: { requests: 5, windowSeconds: 60 },
    })
  ).id;
  document = await fetchOpenApiDocument(server.baseUrl);
});

afterAll(async () => {
  await server.close();
  await fake.close();
});

const COMPLETIONS = '/api/openai/v1/chat/completions';
const check = createSchemaChecker();

async function judge(documentedPath: string, request: RawRequest) {
  const operation = document.paths[documentedPath]?.[request.method.toLowerCase()];
  if (!operation) throw new Error(`${request.method} ${documentedPath} is not documented`);
  const response = await sendVerbatim(server.baseUrl, request);
  return { response, problems: findAnswerProblems(operation, request, response, check) };
}

const post = (body: unknown, key = apiKey): RawRequest => ({
  method: 'POST',
  path: COMPLETIONS,
  headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
  body: JSON.stringify(body),
});
const hello = [{ role: 'user', content: 'Hello' }];

describe('the OpenAI-compatible routes, as /openapi.json documents them', () => {
  it('answers completions, streams, failures and refusals with documented statuses, bodies and headers', async () => {
    const { apiKey: poorKey } = await server.createWorkspace(0, 'Poor');
    const poorBot = await server.createChatbot(poorKey, { model: 'openai/gpt-test' });
    fake.queue(
      { text: 'Hi there.' },
      { text: 'one two three' },
      { text: 'one two three', failAfterChunks: { count: 1, how: 'error-chunk' } },
      { status: 500 },
    );
    const requests: [RawRequest, number][] = [
      [post({ model: chatbotId, messages: hello }), 200],
      [
        post({ model: chatbotId, messages: hello, stream: true, stream_options: { include_usage: true } }),
        200,
      ],
      [post({ model: chatbotId, messages: hello, stream: true }), 200],
      [post({ model: chatbotId, messages: hello }), 502],
      [post({ model: chatbotId, messages: hello, n: 4 }), 400],
      [post({ model: 'no-such-chatbot', messages: hello }), 404],
      [post({ model: poorBot.id, messages: hello }, poorKey), 402],
      [post({ model: chatbotId, messages: hello }, 'sk-workspace_wrong'), 401],
      [{ ...post({}), body: 'not json' }, 400],
      [{ ...post({}), headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'text/plain' } }, 415],
      [post({ model: chatbotId, messages: hello }), 200],
      [post({ model: chatbotId, messages: hello }), 429],
    ];

    for (const [request, status] of requests) {
      const { response, problems } = await judge(COMPLETIONS, request);
      expect(response.status, request.body?.toString()).toBe(status);
      expect(problems, request.body?.toString()).toEqual([]);
    }
  });

  it('answers the models routes with documented bodies', async () => {
    const auth = { authorization: `Bearer ${apiKey}` };
    const answers = [
      await judge('/api/openai/v1/models', { method: 'GET', path: '/api/openai/v1/models', headers: auth }),
      await judge('/api/openai/v1/models/{model}', {
        method: 'GET',
        path: `/api/openai/v1/models/${chatbotId}`,
        headers: auth,
      }),
      await judge('/api/openai/v1/models/{model}', {
        method: 'GET',
        path: '/api/openai/v1/models/unknown',
        headers: auth,
      }),
    ];

    expect(answers.map(({ response }) => response.status)).toEqual([200, 200, 404]);
    for (const { problems } of answers) expect(problems).toEqual([]);
  });
});
