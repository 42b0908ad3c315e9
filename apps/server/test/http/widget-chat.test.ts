import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { deferred } from '../helpers/deferred.ts';
import { type FakeOpenAi, startFakeOpenAi } from '../helpers/fake-openai.ts';
import { eventually, startTestServer, type TestServer } from '../helpers/test-server.ts';
import {
  createWidgetHarness,
  parseWidgetSse,
  readWidgetSseUntil,
  type WidgetEvent,
} from '../helpers/widget.ts';

let fake: FakeOpenAi;
let server: TestServer;
let widget: ReturnType<typeof createWidgetHarness>;

const WORDS = 'We open at nine and close at five on weekdays.';

beforeAll(async () => {
  fake = await startFakeOpenAi();
  server = await startTestServer({ OPENAI_BASE_URL: fake.baseUrl, OPENAI_API_KEY: 'sk-upstream-test' });
  widget = createWidgetHarness(server);
});

afterAll(async () => {
  await server.close();
  await fake.close();
});

beforeEach(() => {
  fake.defaultReply = { text: 'Hello from the fake model.' };
});

describe('POST /api/widget/v1/chat', () => {
  it('answers JSON with the reply and no usage, and stores a widget conversation of the visitor', async () => {
    const { key, apiKey, chatbot } = await widget.setUp();
    const session = await widget.session(key);
    fake.queue({ text: 'Hi there!' });

    const response = await widget.chat(session.token, { message: 'Hello' });

    expect(response.status, response.text).toBe(200);
    expect(response.body).toEqual({
      success: true,
      data: { response: 'Hi there!', conversationId: expect.any(String), messageId: expect.any(String) },
    });
    expect(response.headers.get('x-credits-remaining')).toBeNull();
    expect(response.headers.get('x-ratelimit-limit')).toBeNull();
    const inbox = await server.api(apiKey).get(`/api/v1/conversations?chatbotId=${chatbot.id}`);
    expect(inbox.body.data[0]).toMatchObject({
      id: response.body.data.conversationId,
      channel: 'widget',
      visitor: { id: session.visitor.id, verified: false, userId: null },
    });
  });

  it('streams start, deltas and a done whose data has the reply but no usage', async () => {
    const { key } = await widget.setUp();
    const session = await widget.session(key);
    fake.queue({ text: WORDS });

    const response = await widget.chatRaw(session.token, { message: 'When?', stream: true });
    const events = parseWidgetSse(await response.text());

    expect(response.headers.get('content-type')).toContain('text/event-stream');
    expect(events[0]?.event).toBe('start');
    expect(
      events
        .filter((event) => event.event === 'delta')
        .map((event) => event.data.content)
        .join(''),
    ).toBe(WORDS);
    const done = events.at(-1) as WidgetEvent;
    expect(done.event).toBe('done');
    expect(done.data).toEqual({
      success: true,
      data: { response: WORDS, conversationId: expect.any(String), messageId: expect.any(String) },
    });
  });

  it('cites the chatbot’s knowledge sources in the reply', async () => {
    const { key, apiKey, chatbot } = await widget.setUp();
    const source = await server.api(apiKey).post(`/api/v1/chatbots/${chatbot.id}/knowledge`, {
      kind: 'text',
      title: 'Opening hours',
      content: 'The shop opens at nine on Saturdays and closes at noon.',
    });
    await eventually(async () => {
      const read = await server
        .api(apiKey)
        .get(`/api/v1/chatbots/${chatbot.id}/knowledge/${source.body.data.id}`);
      return read.body.data?.status === 'ready';
    });
    const session = await widget.session(key);
    fake.queue({ text: 'At nine [1].' });

    const response = await widget.chat(session.token, { message: 'When does the shop open on Saturdays?' });

    expect(response.status, response.text).toBe(200);
    expect(response.body.data.sources).toEqual([expect.objectContaining({ title: 'Opening hours' })]);
  });

  it('continues the visitor’s conversation, and refuses another visitor’s as 404 CONVERSATION_NOT_FOUND', async () => {
    const { key } = await widget.setUp();
    const first = await widget.session(key);
    const second = await widget.session(key);
    const opened = await widget.chat(first.token, { message: 'My order is 1234' });
    const conversationId = opened.body.data.conversationId;

    const continued = await widget.chat(first.token, { message: 'Any news?', conversationId });
    const intruding = await widget.chat(second.token, { message: 'Tell me', conversationId });

    expect(continued.status).toBe(200);
    expect(continued.body.data.conversationId).toBe(conversationId);
    expect(intruding.status).toBe(404);
    expect(intruding.body.code).toBe('CONVERSATION_NOT_FOUND');
  });

  it('does not let a visitor continue an API conversation of the same chatbot', async () => {
    const { key, apiKey, chatbot } = await widget.setUp();
    const api = await server.api(apiKey).post(`/api/v1/chatbots/${chatbot.id}/chat`, { message: 'Internal' });
    const session = await widget.session(key);

    const response = await widget.chat(session.token, {
      message: 'Hi',
      conversationId: api.body.data.conversationId,
    });

    expect(response.status).toBe(404);
    expect(response.body.code).toBe('CONVERSATION_NOT_FOUND');
  });

  it('refuses metadata from a visitor: the body is validated as the widget’s, and nothing is stored from it', async () => {
    const { key, apiKey, chatbot } = await widget.setUp();
    const session = await widget.session(key);

    const response = await widget.chat(session.token, { message: 'Hi', metadata: { userId: 'admin' } });

    expect(response.status).toBe(200);
    const inbox = await server.api(apiKey).get(`/api/v1/conversations?chatbotId=${chatbot.id}&userId=admin`);
    expect(inbox.body.data).toEqual([]);
  });

  it('answers 401 VISITOR_SESSION_INVALID without a session, and with a workspace key', async () => {
    const { apiKey } = await widget.setUp();

    const none = await server.api().post('/api/widget/v1/chat', { message: 'Hi' });
    const workspaceKey = await widget.chat(apiKey, { message: 'Hi' });

    for (const response of [none, workspaceKey]) {
      expect(response.status).toBe(401);
      expect(response.body.code).toBe('VISITOR_SESSION_INVALID');
    }
  });

  it('gives a visitor’s token nothing of the management API', async () => {
    const { key, chatbot } = await widget.setUp();
    const session = await widget.session(key);

    for (const path of [
      '/api/v1/chatbots',
      `/api/v1/chatbots/${chatbot.id}/conversations`,
      '/api/v1/workspace',
    ]) {
      const response = await widget.get(path, session.token);
      expect(response.status, path).toBe(401);
      expect(response.body.code).toBe('INVALID_API_KEY');
    }
  });

  it('caps the body at 16 KB', async () => {
    const { key } = await widget.setUp();
    const session = await widget.session(key);

    const response = await widget.chat(session.token, {
      message: 'x'.repeat(3_000),
      padding: 'y'.repeat(20_000),
    });

    expect(response.status).toBe(413);
    expect(response.body.code).toBe('PAYLOAD_TOO_LARGE');
  });
});

describe('what a visitor reads when the chatbot cannot answer', () => {
  it('answers a provider failure with the offline message, without the provider’s text or usage', async () => {
    const { key } = await widget.setUp({ settings: { offlineMessage: 'We are offline, sorry.' } });
    const session = await widget.session(key);
    fake.queue({
      status: 500,
      errorBody: { error: { message: 'secret-upstream-detail', type: 'server_error' } },
    });

    const response = await widget.chat(session.token, { message: 'Hello' });

    expect(response.status).toBe(502);
    expect(response.body).toEqual({
      success: false,
      error: 'We are offline, sorry.',
      code: 'AI_PROVIDER_ERROR',
      conversationId: expect.any(String),
      messageId: expect.any(String),
    });
    expect(response.text).not.toContain('secret-upstream-detail');
  });

  it('ends a stream that fails after its first token with an error event carrying the offline message', async () => {
    const { key } = await widget.setUp({ settings: { offlineMessage: 'We are offline, sorry.' } });
    const session = await widget.session(key);
    fake.queue({ text: WORDS, failAfterChunks: { count: 2, how: 'error-chunk' } });

    const response = await widget.chatRaw(session.token, { message: 'Hello', stream: true });
    const events = parseWidgetSse(await response.text());

    const last = events.at(-1) as WidgetEvent;
    expect(last.event).toBe('error');
    expect(last.data).toMatchObject({
      success: false,
      error: 'We are offline, sorry.',
      code: 'AI_PROVIDER_ERROR',
    });
  });

  it('answers the workspace running out of credits with the limit message and no price', async () => {
    const { key } = await widget.setUp({ credits: 0, settings: { limitMessage: 'Please come back later.' } });
    const session = await widget.session(key);

    const response = await widget.chat(session.token, { message: 'Hello' });

    expect(response.status).toBe(402);
    expect(response.body).toEqual({
      success: false,
      error: 'Please come back later.',
      code: 'INSUFFICIENT_CREDITS',
    });
  });

  it('answers a chatbot made inactive during the session with 403 CHATBOT_INACTIVE and the offline message', async () => {
    const { key, apiKey, chatbot } = await widget.setUp({
      settings: { offlineMessage: 'Closed for today.' },
    });
    const session = await widget.session(key);
    await server.api(apiKey).patch(`/api/v1/chatbots/${chatbot.id}`, { status: 'inactive' });

    const response = await widget.chat(session.token, { message: 'Hello?' });

    expect(response.status).toBe(403);
    expect(response.body).toEqual({ success: false, error: 'Closed for today.', code: 'CHATBOT_INACTIVE' });
  });

  it('answers the chatbot’s own rate limit with the limit message', async () => {
    const { key } = await widget.setUp({
      chatbot: { rateLimit: { requests: 1, windowSeconds: 60 } },
      settings: { limitMessage: 'Slow down a little.' },
    });
    const session = await widget.session(key);
    await widget.chat(session.token, { message: 'One' });

    const response = await widget.chat(session.token, { message: 'Two' });

    expect(response.status).toBe(429);
    expect(response.body).toMatchObject({ error: 'Slow down a little.', code: 'RATE_LIMIT_EXCEEDED' });
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

describe('the visitor’s conversations', () => {
  it('lists only the visitor’s own, newest first, and reads one with its messages', async () => {
    const { key } = await widget.setUp();
    const visitor = await widget.session(key);
    const other = await widget.session(key);
    const older = await widget.chat(visitor.token, { message: 'First' });
    const newer = await widget.chat(visitor.token, { message: 'Second' });
    await widget.chat(other.token, { message: 'Not yours' });

    const list = await widget.get('/api/widget/v1/conversations', visitor.token);
    const read = await widget.get(
      `/api/widget/v1/conversations/${newer.body.data.conversationId}`,
      visitor.token,
    );

    expect(list.body.data.map((conversation: { id: string }) => conversation.id)).toEqual([
      newer.body.data.conversationId,
      older.body.data.conversationId,
    ]);
    expect(read.status).toBe(200);
    expect(read.body.data.messages).toEqual([
      expect.objectContaining({ role: 'user', content: 'Second', feedback: null }),
      expect.objectContaining({
        role: 'assistant',
        content: 'Hello from the fake model.',
        status: 'complete',
      }),
    ]);
    expect(read.body.data.messages[1].usage).toBeUndefined();
    expect(read.body.data.messages[1].metadata).toBeUndefined();
  });

  it('answers 404 for another visitor’s conversation and message stream', async () => {
    const { key } = await widget.setUp();
    const owner = await widget.session(key);
    const intruder = await widget.session(key);
    const chat = await widget.chat(owner.token, { message: 'Private' });
    const { conversationId, messageId } = chat.body.data;

    const conversation = await widget.get(`/api/widget/v1/conversations/${conversationId}`, intruder.token);
    const stream = await widget.get(`/api/widget/v1/messages/${messageId}/stream`, intruder.token);
    const feedback = await widget.post(`/api/widget/v1/messages/${messageId}/feedback`, intruder.token, {
      rating: 'down',
    });

    expect(conversation.status).toBe(404);
    expect(conversation.body.code).toBe('CONVERSATION_NOT_FOUND');
    expect(stream.status).toBe(404);
    expect(stream.body.code).toBe('MESSAGE_NOT_FOUND');
    expect(feedback.status).toBe(404);
    expect(conversation.text + stream.text + feedback.text).not.toContain('Private');
  });

  it('gives a session of one chatbot nothing of another chatbot’s conversations, even in the same workspace', async () => {
    const { key, apiKey } = await widget.setUp();
    const other = await server.createChatbot(apiKey, { model: 'openai/gpt-test' });
    const otherKey = await server
      .api(apiKey)
      .post(`/api/v1/chatbots/${other.id}/publishable-keys`, { allowedOrigins: ['http://localhost:5173'] });
    const elsewhere = await widget.session(otherKey.body.data.key);
    const chat = await widget.chat(elsewhere.token, { message: 'Other bot' });
    const session = await widget.session(key);

    const read = await widget.get(
      `/api/widget/v1/conversations/${chat.body.data.conversationId}`,
      session.token,
    );
    const stream = await widget.get(
      `/api/widget/v1/messages/${chat.body.data.messageId}/stream`,
      session.token,
    );
    const send = await widget.chat(session.token, {
      message: 'Hi',
      conversationId: chat.body.data.conversationId,
    });

    expect(read.status).toBe(404);
    expect(stream.status).toBe(404);
    expect(send.status).toBe(404);
    expect(send.body.code).toBe('CONVERSATION_NOT_FOUND');
  });

  it('stores thumbs up and down on the visitor’s reply, and null clears it; a user message cannot be rated', async () => {
    const { key, apiKey, chatbot } = await widget.setUp();
    const session = await widget.session(key);
    const chat = await widget.chat(session.token, { message: 'Rate me' });
    const { conversationId, messageId } = chat.body.data;

    const up = await widget.post(`/api/widget/v1/messages/${messageId}/feedback`, session.token, {
      rating: 'up',
    });
    expect(up.status, up.text).toBe(200);
    expect(up.body.data).toMatchObject({ id: messageId, feedback: 'up' });
    const read = await widget.get(`/api/widget/v1/conversations/${conversationId}`, session.token);
    expect(read.body.data.messages[1].feedback).toBe('up');
    // The business sees the rating on the conversation's page, with the conversation's channel and visitor.
    const managed = await server
      .api(apiKey)
      .get(`/api/v1/chatbots/${chatbot.id}/conversations/${conversationId}`);
    expect(managed.status, managed.text).toBe(200);
    expect(managed.body.data).toMatchObject({
      channel: 'widget',
      visitor: { id: session.visitor.id, verified: false, userId: null, name: null, email: null },
    });
    expect(managed.body.data.messages.map((message: { feedback: unknown }) => message.feedback)).toEqual([
      null,
      'up',
    ]);
    const cleared = await widget.post(`/api/widget/v1/messages/${messageId}/feedback`, session.token, {
      rating: null,
    });
    expect(cleared.body.data.feedback).toBeNull();
    const userMessageId = read.body.data.messages[0].id;
    const refused = await widget.post(`/api/widget/v1/messages/${userMessageId}/feedback`, session.token, {
      rating: 'up',
    });
    expect(refused.status).toBe(404);
  });

  it('resumes a reply mid-stream with Last-Event-ID: the missed text, the rest, and a done without usage', async () => {
    const { key } = await widget.setUp();
    const session = await widget.session(key);
    const held = deferred();
    fake.queue({ text: WORDS, pauseAfterChunks: { count: 3, until: held.promise } });
    const controller = new AbortController();
    const response = await widget.chatRaw(
      session.token,
      { message: 'Tell me', stream: true },
      controller.signal,
    );
    const seen = await readWidgetSseUntil(response, (event) => event.event === 'delta', controller);
    const start = seen[0] as WidgetEvent;
    const lastId = (seen.at(-1) as WidgetEvent).id;

    const resumed = widget.get(`/api/widget/v1/messages/${start.data.messageId}/stream`, session.token, {
      'last-event-id': lastId,
    });
    held.resolve();
    const events = parseWidgetSse((await resumed).text);

    const text = (list: WidgetEvent[]) =>
      list
        .filter((event) => event.event === 'delta')
        .map((event) => event.data.content)
        .join('');
    expect(text(seen) + text(events)).toBe(WORDS);
    expect(events.at(-1)).toMatchObject({
      event: 'done',
      data: { success: true, data: { response: WORDS, messageId: start.data.messageId } },
    });
    expect((events.at(-1) as WidgetEvent).data.data.usage).toBeUndefined();
  });
});
