import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deferred } from '../helpers/deferred.ts';
import { type FakeOpenAi, startFakeOpenAi } from '../helpers/fake-openai.ts';
import { deltaText, eventsOnly, parseSse, readSseUntil, type SseEvent } from '../helpers/sse.ts';
import { eventually, startTestServer, type TestServer } from '../helpers/test-server.ts';

// A streamed reply is never lost: every event has an id, and a client whose connection dropped reconnects to
// GET .../messages/{id}/stream with the last id it saw and is sent exactly what it missed, then the rest.

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

const WORDS = Array.from({ length: 40 }, (_, index) => `word${index}`).join(' ');

async function setUp() {
  const { apiKey, workspaceId } = await server.createWorkspace(20);
  const chatbot = await server.createChatbot(apiKey, { model: 'openai/gpt-test' });
  return { apiKey, workspaceId, chatbot };
}

function streamPath(chatbotId: string, conversationId: string, messageId: string, query = '') {
  return `/api/v1/chatbots/${chatbotId}/conversations/${conversationId}/messages/${messageId}/stream${query}`;
}

/** GETs a reply's stream with optional headers and answers its status and parsed events. */
async function resume(apiKey: string, path: string, headers: Record<string, string> = {}) {
  const response = await server.api(apiKey).get(path, headers);
  return { ...response, events: response.status === 200 ? eventsOnly(parseSse(response.text)) : [] };
}

/** Starts a streamed chat and reads it up to its first delta, then drops the connection. */
async function chatAndDropAfterFirstDelta(apiKey: string, chatbotId: string) {
  const controller = new AbortController();
  const response = await server.chat(
    apiKey,
    chatbotId,
    { message: 'Tell me', stream: true },
    controller.signal,
  );
  expect(response.status).toBe(200);
  const seen = await readSseUntil(response, (event) => event.event === 'delta', controller);
  const start = seen[0] as SseEvent;
  const { conversationId, messageId } = start.data as { conversationId: string; messageId: string };
  return { seen, conversationId, messageId };
}

describe('event ids', () => {
  it('gives every event an id: 0 for start, the text length so far for a delta, <length>-end for done', async () => {
    const { apiKey, chatbot } = await setUp();
    openai.queue({ text: 'Hello there, how are you?' });
    const response = await server.chat(apiKey, chatbot.id, { message: 'Hi', stream: true });
    const events = eventsOnly(parseSse(await response.text()));

    expect(events.every((event) => event.id !== undefined)).toBe(true);
    expect(events[0]).toMatchObject({ event: 'start', id: '0' });
    let length = 0;
    for (const event of events.filter((candidate) => candidate.event === 'delta')) {
      length += (event.data as { content: string }).content.length;
      expect(event.id).toBe(String(length));
    }
    expect(events.at(-1)).toMatchObject({ event: 'done', id: `${length}-end` });
    expect(length).toBe('Hello there, how are you?'.length);
  });
});

describe('GET .../messages/{messageId}/stream', () => {
  it('sends a client that dropped after the first delta everything it missed, then the live rest and done', async () => {
    const { apiKey, chatbot } = await setUp();
    const held = deferred();
    openai.queue({ text: WORDS, pauseAfterChunks: { count: 3, until: held.promise } });
    const first = await chatAndDropAfterFirstDelta(apiKey, chatbot.id);
    const lastId = first.seen.at(-1)?.id as string;

    const path = streamPath(chatbot.id, first.conversationId, first.messageId);
    const resumed = server.api(apiKey).get(path, { 'last-event-id': lastId });
    // The reply is still held mid-way: the resumed stream must wait for the rest, then end.
    await new Promise((resolve) => setTimeout(resolve, 100));
    held.resolve();
    const response = await resumed;
    const events = eventsOnly(parseSse(response.text));

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    expect(events.some((event) => event.event === 'start')).toBe(false);
    expect(deltaText(first.seen) + deltaText(events)).toBe(WORDS);
    const done = events.at(-1) as SseEvent;
    expect(done.event).toBe('done');
    expect(done.data).toMatchObject({
      success: true,
      data: { response: WORDS, messageId: first.messageId, usage: { credits: 1 } },
    });
    expect(events.filter((event) => event.event === 'done')).toHaveLength(1);
  });

  it('replays an ended reply at once: start, the whole text as one delta, and the same done as the stream had', async () => {
    const { apiKey, chatbot } = await setUp();
    openai.queue({ text: WORDS });
    const original = await server.chat(apiKey, chatbot.id, { message: 'Tell me', stream: true });
    const originalEvents = eventsOnly(parseSse(await original.text()));
    const { conversationId, messageId } = (originalEvents[0] as SseEvent).data as {
      conversationId: string;
      messageId: string;
    };

    const replay = await resume(apiKey, streamPath(chatbot.id, conversationId, messageId));

    expect(replay.events.map((event) => event.event)).toEqual(['start', 'delta', 'done']);
    expect(replay.events.map((event) => event.id)).toEqual([
      '0',
      String(WORDS.length),
      `${WORDS.length}-end`,
    ]);
    expect(deltaText(replay.events)).toBe(WORDS);
    expect(replay.events[2]?.data).toEqual(originalEvents.at(-1)?.data);
  });

  it('resumes an ended reply after any id, by Last-Event-ID or ?after=, sending only the unseen text', async () => {
    const { apiKey, chatbot } = await setUp();
    openai.queue({ text: WORDS });
    const original = await server.chat(apiKey, chatbot.id, { message: 'Tell me', stream: true });
    const originalEvents = eventsOnly(parseSse(await original.text()));
    const { conversationId, messageId } = (originalEvents[0] as SseEvent).data as {
      conversationId: string;
      messageId: string;
    };
    const path = streamPath(chatbot.id, conversationId, messageId);
    const third = originalEvents.filter((event) => event.event === 'delta')[2] as SseEvent;

    const byHeader = await resume(apiKey, path, { 'last-event-id': third.id as string });
    const byQuery = await resume(apiKey, streamPath(chatbot.id, conversationId, messageId, '?after=7'));

    expect(byHeader.events.map((event) => event.event)).toEqual(['delta', 'done']);
    expect(deltaText(byHeader.events)).toBe(WORDS.slice(Number(third.id)));
    expect(deltaText(byQuery.events)).toBe(WORDS.slice(7));
  });

  it('answers 204 to a client that has the terminal event, and 400 to an id no event carries', async () => {
    const { apiKey, chatbot } = await setUp();
    const chat = await server.api(apiKey).post(`/api/v1/chatbots/${chatbot.id}/chat`, { message: 'Hi' });
    const { conversationId, messageId, response } = chat.body.data;
    const path = streamPath(chatbot.id, conversationId, messageId);

    const ended = await resume(apiKey, path, { 'last-event-id': `${response.length}-end` });
    const invalid = await resume(apiKey, path, { 'last-event-id': 'banana' });
    const invalidQuery = await resume(apiKey, streamPath(chatbot.id, conversationId, messageId, '?after=-3'));

    expect(ended.status).toBe(204);
    expect(ended.text).toBe('');
    expect(invalid.status).toBe(400);
    expect(invalid.body).toMatchObject({
      code: 'VALIDATION_ERROR',
      details: [{ path: 'headers.last-event-id' }],
    });
    expect(invalidQuery.status).toBe(400);
  });

  it('answers 400 to an id past the end of a reply that has ended, or to an end other than its own', async () => {
    const { apiKey, chatbot } = await setUp();
    const chat = await server.api(apiKey).post(`/api/v1/chatbots/${chatbot.id}/chat`, { message: 'Hi' });
    const { conversationId, messageId, response } = chat.body.data;
    const path = streamPath(chatbot.id, conversationId, messageId);

    const pastEnd = await resume(apiKey, path, { 'last-event-id': `${response.length + 1}` });
    const otherEnd = await resume(apiKey, path, { 'last-event-id': '1-end' });
    const pastEndQuery = await resume(
      apiKey,
      streamPath(chatbot.id, conversationId, messageId, `?after=${response.length + 50}`),
    );
    const atEnd = await resume(apiKey, path, { 'last-event-id': `${response.length}` });

    expect(pastEnd.status).toBe(400);
    expect(pastEnd.body).toMatchObject({
      code: 'VALIDATION_ERROR',
      details: [{ path: 'headers.last-event-id' }],
    });
    expect(otherEnd.status).toBe(400);
    expect(pastEndQuery.status).toBe(400);
    expect(pastEndQuery.body).toMatchObject({ details: [{ path: 'querystring.after' }] });
    // Every character seen, the end not yet: the terminal event alone.
    expect(atEnd.status).toBe(200);
    expect(atEnd.events.map((event) => event.event)).toEqual(['done']);
  });

  it('streams a reply asked for as JSON too, and 404s a user message or an unknown one', async () => {
    const { apiKey, chatbot } = await setUp();
    openai.queue({ text: WORDS });
    const chat = await server.api(apiKey).post(`/api/v1/chatbots/${chatbot.id}/chat`, { message: 'Hi' });
    const { conversationId, messageId } = chat.body.data;
    const conversation = await server
      .api(apiKey)
      .get(`/api/v1/chatbots/${chatbot.id}/conversations/${conversationId}`);
    const userMessageId = conversation.body.data.messages[0].id;

    const replay = await resume(apiKey, streamPath(chatbot.id, conversationId, messageId));
    const ofUser = await resume(apiKey, streamPath(chatbot.id, conversationId, userMessageId));
    const unknown = await resume(apiKey, streamPath(chatbot.id, conversationId, 'no-such-message'));

    expect(deltaText(replay.events)).toBe(WORDS);
    expect(ofUser.status).toBe(404);
    expect(ofUser.body).toMatchObject({ code: 'MESSAGE_NOT_FOUND' });
    expect(unknown.status).toBe(404);
  });

  it('ends a follower of a cancelled reply with done carrying the text generated until the cancel', async () => {
    const { apiKey, chatbot } = await setUp();
    const held = deferred();
    openai.queue({ text: WORDS, pauseAfterChunks: { count: 4, until: held.promise } });
    const first = await chatAndDropAfterFirstDelta(apiKey, chatbot.id);
    const path = streamPath(chatbot.id, first.conversationId, first.messageId);
    const follower = resume(apiKey, path, { 'last-event-id': '0' });
    const base = `/api/v1/chatbots/${chatbot.id}/conversations/${first.conversationId}/messages/${first.messageId}`;
    await eventually(async () => (await server.api(apiKey).get(base)).body.data.content.length > 0);

    const cancel = await server.api(apiKey).post(`${base}/cancel`);
    const followed = await follower;
    held.resolve();

    expect(cancel.status).toBe(202);
    const done = followed.events.at(-1) as SseEvent;
    expect(done.event).toBe('done');
    const stored = await server.api(apiKey).get(base);
    expect(stored.body.data.status).toBe('incomplete');
    expect(deltaText(followed.events)).toBe(stored.body.data.content);
    expect((done.data as { data: { response: string } }).data.response).toBe(stored.body.data.content);
  });

  it('replays a reply that failed mid-stream with its text and the same error event', async () => {
    const { apiKey, chatbot } = await setUp();
    openai.queue({ text: WORDS, failAfterChunks: { count: 3, how: 'error-chunk' } });
    const original = await server.chat(apiKey, chatbot.id, { message: 'Tell me', stream: true });
    const originalEvents = eventsOnly(parseSse(await original.text()));
    const { conversationId, messageId } = (originalEvents[0] as SseEvent).data as {
      conversationId: string;
      messageId: string;
    };

    const replay = await resume(apiKey, streamPath(chatbot.id, conversationId, messageId));

    expect(originalEvents.at(-1)?.event).toBe('error');
    expect(replay.events.at(-1)).toEqual(originalEvents.at(-1));
    expect(deltaText(replay.events)).toBe(deltaText(originalEvents));
  });
});
