import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeAnthropic } from '../helpers/fake-anthropic.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';

let fake: Awaited<ReturnType<typeof startFakeAnthropic>>;
let server: TestServer;
let apiKey: string;

beforeAll(async () => {
  fake = await startFakeAnthropic();
  server = await startTestServer({ ANTHROPIC_API_KEY: 'sk-ant-test', ANTHROPIC_BASE_URL: fake.baseUrl });
  ({ apiKey } = await server.createWorkspace(10));
});

afterAll(async () => {
  await server.close();
  await fake.close();
});

describe('anthropic/* models', () => {
  it('answer through the Messages API with the instructions as system prompt and the chatbot’s settings', async () => {
    const bot = await server.createChatbot(apiKey, {
      // A model that accepts sampling parameters (newer Claude models reject temperature).
      model: 'anthropic/claude-3-haiku-20240307',
      instructions: 'Answer in French.',
      temperature: 0.2,
      maxTokens: 300,
    });
    fake.state.text = 'Bonjour à vous.';

    const response = await server.api(apiKey).post(`/api/v1/chatbots/${bot.id}/chat`, { message: 'Hello' });

    expect(response.status).toBe(200);
    expect(response.body.data.response).toBe('Bonjour à vous.');
    expect(response.body.data.usage).toEqual({ inputTokens: 21, outputTokens: 3, credits: 1 });
    const sent = fake.requests.at(-1);
    expect(sent?.headers['x-api-key']).toBe('sk-ant-test');
    expect(sent?.body).toMatchObject({
      model: 'claude-3-haiku-20240307',
      max_tokens: 300,
      temperature: 0.2,
      stream: true,
    });
    expect(JSON.stringify(sent?.body.system)).toContain('Answer in French.');
    expect(JSON.stringify(sent?.body.messages)).toContain('Hello');
  });

  it('answer 502 AI_PROVIDER_ERROR when Anthropic is overloaded, and charge nothing', async () => {
    const bot = await server.createChatbot(apiKey, { model: 'anthropic/claude-test' });
    const before = (await server.api(apiKey).get('/api/v1/workspace')).body.data.credits;
    fake.state.status = 529;
    try {
      const response = await server.api(apiKey).post(`/api/v1/chatbots/${bot.id}/chat`, { message: 'Hello' });
      expect(response.status).toBe(502);
      expect(response.body).toMatchObject({ success: false, code: 'AI_PROVIDER_ERROR' });
      expect(response.text).not.toContain('Overloaded');
    } finally {
      fake.state.status = 200;
    }
    expect((await server.api(apiKey).get('/api/v1/workspace')).body.data.credits).toBe(before);
  });
});

describe('ANTHROPIC_BASE_URL', () => {
  it.each([
    ['the server’s root, as the README documents it', (url: string) => url],
    ['the root with a trailing slash', (url: string) => `${url}/`],
    ['the /v1 form', (url: string) => `${url}/v1`],
  ])('reaches the Messages API when it names %s', async (_label, toSetting) => {
    const other = await startTestServer({
      ANTHROPIC_API_KEY: 'sk-ant-test',
      ANTHROPIC_BASE_URL: toSetting(fake.rootUrl),
    });
    try {
      const { apiKey: key } = await other.createWorkspace(10);
      const bot = await other.createChatbot(key, { model: 'anthropic/claude-test' });
      fake.state.text = 'Reached.';

      const response = await other.api(key).post(`/api/v1/chatbots/${bot.id}/chat`, { message: 'Hello' });

      expect(response.status, response.text).toBe(200);
      expect(response.body.data.response).toBe('Reached.');
    } finally {
      await other.close();
    }
  });
});
