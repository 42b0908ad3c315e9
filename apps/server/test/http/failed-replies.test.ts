import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeOpenAi, startFakeOpenAi } from '../helpers/fake-openai.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';

// A failed reply keeps why it failed: a transcript shows its code and that code's sentence.

let openai: FakeOpenAi;
let server: TestServer;
let apiKey: string;

beforeAll(async () => {
  openai = await startFakeOpenAi();
  server = await startTestServer({
    OPENAI_BASE_URL: openai.baseUrl,
    OPENAI_API_KEY: 'sk-upstream-test',
    AI_PROVIDER_TIMEOUT_MS: '300',
  });
  ({ apiKey } = await server.createWorkspace(1000));
});

afterAll(async () => {
  await server.close();
  await openai.close();
});

describe('a failed reply in its conversation', () => {
  it('carries its error code and sentence; a complete reply and a user message carry none', async () => {
    const bot = await server.createChatbot(apiKey, { model: 'openai/gpt-test' });
    const client = server.api(apiKey);
    openai.queue({ text: 'All good.' });
    const first = await client.post(`/api/v1/chatbots/${bot.id}/chat`, { message: 'Hello', stream: false });
    expect(first.status).toBe(200);
    const { conversationId } = first.body.data as { conversationId: string };
    openai.queue({ status: 500, errorBody: { error: { message: 'upstream-secret-detail' } } });
    const failed = await client.post(`/api/v1/chatbots/${bot.id}/chat`, {
      message: 'And now?',
      conversationId,
      stream: false,
    });
    expect(failed.status).toBe(502);
    openai.queue({ hang: true });
    const timedOut = await client.post(`/api/v1/chatbots/${bot.id}/chat`, {
      message: 'Still there?',
      conversationId,
      stream: false,
    });
    expect(timedOut.status).toBe(504);

    const read = await client.get(`/api/v1/chatbots/${bot.id}/conversations/${conversationId}`);

    expect(read.status).toBe(200);
    const messages = read.body.data.messages as { role: string; status: string; error: unknown }[];
    expect(messages.map((message) => [message.role, message.status, message.error])).toEqual([
      ['user', 'complete', null],
      ['assistant', 'complete', null],
      ['user', 'complete', null],
      ['assistant', 'failed', { code: 'AI_PROVIDER_ERROR', message: expect.stringMatching(/\w/) }],
      ['user', 'complete', null],
      ['assistant', 'failed', { code: 'AI_PROVIDER_TIMEOUT', message: expect.stringMatching(/\w/) }],
    ]);
    expect(read.text).not.toContain('upstream-secret-detail');
    const one = await client.get(
      `/api/v1/chatbots/${bot.id}/conversations/${conversationId}/messages/${failed.body.messageId}`,
    );
    expect(one.status).toBe(200);
    expect(one.body.data.error).toEqual(messages[3]?.error);
  });
});
