import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sumLedger } from '../../src/db/credits.repository.ts';
import { deferred } from '../helpers/deferred.ts';
import { type FakeOpenAi, startFakeOpenAi } from '../helpers/fake-openai.ts';
import { eventually, startTestServer, type TestServer } from '../helpers/test-server.ts';

// A reply is a message from the moment it starts: it can be polled while it is generated and cancelled
// from anywhere, and a client that leaves does not stop it.

let server: TestServer;
let openai: FakeOpenAi;

beforeAll(async () => {
  openai = await startFakeOpenAi();
  server = await startTestServer({ OPENAI_BASE_URL: openai.baseUrl, AI_PROVIDER_MAX_RETRIES: '0' });
});

afterAll(async () => {
  await server?.close();
  await openai?.close();
});

const WORDS = Array.from({ length: 30 }, (_, index) => `word${index}`).join(' ');

/** A chat whose reply pauses after its first words until `release` is called. */
async function startHeldReply(apiKey: string, chatbotId: string) {
  const held = deferred();
  openai.queue({ text: WORDS, pauseAfterChunks: { count: 5, until: held.promise } });
  const before = openai.requests.length;
  const reply = server.chat(apiKey, chatbotId, { message: 'Tell me a long story', stream: false });
  await eventually(() => openai.requests.length === before + 1);
  // The reply's row is stored before the provider is called: find it.
  const row = await server.services.db
    .selectFrom('messages')
    .select(['id', 'conversation_id'])
    .where('status', '=', 'generating')
    .where('role', '=', 'assistant')
    .where('model', '=', 'openai/gpt-test')
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow();
  const path = `/api/v1/chatbots/${chatbotId}/conversations/${row.conversation_id}/messages/${row.id}`;
  return { reply, release: held.resolve, path };
}

describe('a reply as a message', () => {
  it('can be polled while it is generated: generating with its text so far, then complete with its usage', async () => {
    const { apiKey } = await server.createWorkspace(10);
    const chatbot = await server.createChatbot(apiKey, { model: 'openai/gpt-test' });
    const held = await startHeldReply(apiKey, chatbot.id);
    const client = server.api(apiKey);

    let polled = await client.get(held.path);
    await eventually(async () => {
      polled = await client.get(held.path);
      return polled.body.data.content.length > 0;
    });
    expect(polled.status).toBe(200);
    expect(polled.body.data).toMatchObject({ role: 'assistant', status: 'generating', usage: null });
    expect(WORDS.startsWith(polled.body.data.content)).toBe(true);
    expect(polled.body.data.content.length).toBeLessThan(WORDS.length);

    held.release();
    const reply = await held.reply;
    expect(reply.status).toBe(200);
    const done = await client.get(held.path);
    expect(done.body.data).toMatchObject({ status: 'complete', content: WORDS, usage: { credits: 1 } });
  });

  it('is stopped by a cancel: it ends incomplete with the text generated until then, charged as a reply', async () => {
    const { apiKey, workspaceId } = await server.createWorkspace(10);
    const chatbot = await server.createChatbot(apiKey, { model: 'openai/gpt-test' });
    const held = await startHeldReply(apiKey, chatbot.id);
    const client = server.api(apiKey);
    // The provider has sent its first words; cancel once the server has them, so that text was generated.
    await eventually(async () => (await client.get(held.path)).body.data.content.length > 0);

    const cancelled = await client.post(`${held.path}/cancel`);

    expect(cancelled.status).toBe(202);
    expect(cancelled.body.data.status).toBe('generating');
    const reply = await held.reply;
    const body = (await reply.json()) as { data: { response: string } };
    expect(reply.status).toBe(200);
    const stored = await client.get(held.path);
    expect(stored.body.data).toMatchObject({ status: 'incomplete', usage: { credits: 1 } });
    expect(stored.body.data.content.length).toBeGreaterThan(0);
    expect(stored.body.data.content).toBe(body.data.response);
    expect(WORDS.startsWith(stored.body.data.content)).toBe(true);
    expect(openai.requests.at(-1)?.clientAborted).toBe(true);
    expect(await sumLedger(server.services.db, workspaceId)).toBe(9);
    held.release();
  });

  it('answers 409 MESSAGE_NOT_GENERATING to a cancel of a reply that has ended, and 404 to an unknown message', async () => {
    const { apiKey } = await server.createWorkspace(10);
    const chatbot = await server.createChatbot(apiKey);
    const chat = await server.api(apiKey).post(`/api/v1/chatbots/${chatbot.id}/chat`, { message: 'Hi' });
    const { conversationId, messageId } = chat.body.data;
    const base = `/api/v1/chatbots/${chatbot.id}/conversations/${conversationId}/messages`;

    const ended = await server.api(apiKey).post(`${base}/${messageId}/cancel`);
    const unknown = await server.api(apiKey).get(`${base}/no-such-message`);
    const read = await server.api(apiKey).get(`${base}/${messageId}`);

    expect(ended.status).toBe(409);
    expect(ended.body).toMatchObject({ success: false, code: 'MESSAGE_NOT_GENERATING' });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ code: 'MESSAGE_NOT_FOUND' });
    expect(read.body.data).toMatchObject({
      id: messageId,
      status: 'complete',
      content: chat.body.data.response,
    });
  });
});
