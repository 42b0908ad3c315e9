import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectFailure } from '../helpers/expect-failure.ts';
import { type ApiResponse, startTestServer, type TestServer } from '../helpers/test-server.ts';

// The Send Message checks of the contract, in order: 1 key (401), 2 chatbot (404), 3 status (403),
// 4 rate limit (429), 5 body (400/415), 6 conversation (404), 7 credits (402). Each test sends a request
// that fails two checks at once and expects the earlier one. Chatbots use the built-in local model.

let server: TestServer;
let apiKey: string;

beforeAll(async () => {
  server = await startTestServer();
  ({ apiKey } = await server.createWorkspace(1000));
});

afterAll(async () => {
  await server.close();
});

const UNKNOWN_WELL_FORMED_KEY = `sk-workspace_${'Q7'.repeat(20)}`;
const chatPath = (chatbotId: string) => `/api/v1/chatbots/${chatbotId}/chat`;

const chat = (key: string, chatbotId: string, body: unknown, headers: Record<string, string> = {}) =>
  server.api(key).post(chatPath(chatbotId), body, headers);

function rateLimitHeaders(response: ApiResponse) {
  return ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset'].map((name) =>
    response.headers.get(name),
  );
}

const expectRateLimitHeaders = (response: ApiResponse) => {
  for (const value of rateLimitHeaders(response)) expect(value, response.text).toMatch(/^\d+$/);
};
const expectNoRateLimitHeaders = (response: ApiResponse) => {
  expect(rateLimitHeaders(response), response.text).toEqual([null, null, null]);
};

/** A chatbot whose one request of the window is used up: every further chat is over its limit. */
async function createExhaustedChatbot(key: string) {
  const bot = await server.createChatbot(key, { rateLimit: { requests: 1, windowSeconds: 3600 } });
  expect((await chat(key, bot.id, { message: 'The only one' })).status).toBe(200);
  return bot;
}

/** A workspace with no credits left, two chatbots, and a conversation of the first one. */
async function createSpentWorkspace() {
  const { apiKey: key } = await server.createWorkspace(1);
  const first = await server.createChatbot(key, { name: 'First' });
  const second = await server.createChatbot(key, { name: 'Second' });
  const spent = await chat(key, first.id, { message: 'Spend the last credit' });
  expect(spent.status, spent.text).toBe(200);
  expect((await server.api(key).get('/api/v1/workspace')).body.data.credits).toBe(0);
  return { key, first, second, conversationId: spent.body.data.conversationId as string };
}

describe('Send Message check order', () => {
  it('answers 401 INVALID_API_KEY before 404: a bad key to an unknown chatbot', async () => {
    for (const key of [UNKNOWN_WELL_FORMED_KEY, 'not-a-key']) {
      const response = await chat(key, 'no-such-chatbot', { message: 'Hello' });

      expectFailure(response, 401, 'INVALID_API_KEY');
      expectNoRateLimitHeaders(response);
    }
  });

  it('answers 401 INVALID_API_KEY before anything else: a bad key to an inactive, exhausted bot with a bad body', async () => {
    const bot = await createExhaustedChatbot(apiKey);
    await server.api(apiKey).patch(`/api/v1/chatbots/${bot.id}`, { status: 'inactive' });

    const response = await chat(UNKNOWN_WELL_FORMED_KEY, bot.id, { message: '' });

    expectFailure(response, 401, 'INVALID_API_KEY');
    expectNoRateLimitHeaders(response);
  });

  it('answers 404 CHATBOT_NOT_FOUND before 403: another workspace’s inactive chatbot looks unknown', async () => {
    const other = await server.createWorkspace(1000, 'Other');
    const inactive = await server.createChatbot(other.apiKey, { status: 'inactive' });

    const foreign = await chat(apiKey, inactive.id, { message: 'Hello' });
    const unknown = await chat(apiKey, 'no-such-chatbot', { message: 'Hello' });

    expectFailure(foreign, 404, 'CHATBOT_NOT_FOUND');
    expect(foreign.body.error).toBe('Chatbot not found or access denied');
    expect(foreign.text).toBe(unknown.text);
    expectNoRateLimitHeaders(foreign);
    expectNoRateLimitHeaders(unknown);
  });

  it('answers 404 CHATBOT_NOT_FOUND for a deleted chatbot, whatever the body', async () => {
    const bot = await server.createChatbot(apiKey);
    await server.api(apiKey).delete(`/api/v1/chatbots/${bot.id}`);

    for (const body of [{ message: 'Hello' }, { message: 42 }, '{not json']) {
      const response = await chat(apiKey, bot.id, body);

      expectFailure(response, 404, 'CHATBOT_NOT_FOUND');
      expectNoRateLimitHeaders(response);
    }
  });

  it('answers 404 CHATBOT_NOT_FOUND to a chatbot id of any length or shape, whatever the body', async () => {
    const ids = [
      'x'.repeat(65),
      'x'.repeat(2000),
      'a.b',
      'with%20space',
      '%00',
      '%C3%BC',
      '..%2F..',
      `${'é'.repeat(300)}`,
    ];
    for (const id of ids) {
      for (const body of [{ message: 'Hello' }, { message: 42 }]) {
        const response = await chat(apiKey, id, body);

        expectFailure(response, 404, 'CHATBOT_NOT_FOUND');
        expectNoRateLimitHeaders(response);
      }
    }
  });

  it('answers 403 CHATBOT_INACTIVE before 429: an inactive chatbot over its limit', async () => {
    const bot = await createExhaustedChatbot(apiKey);
    expectFailure(await chat(apiKey, bot.id, { message: 'Over the limit' }), 429, 'RATE_LIMIT_EXCEEDED');
    await server.api(apiKey).patch(`/api/v1/chatbots/${bot.id}`, { status: 'inactive' });

    const response = await chat(apiKey, bot.id, { message: 'Hello' });
    const withBadBody = await chat(apiKey, bot.id, { message: '' });

    expectFailure(response, 403, 'CHATBOT_INACTIVE');
    expectNoRateLimitHeaders(response);
    expectFailure(withBadBody, 403, 'CHATBOT_INACTIVE');
    expectNoRateLimitHeaders(withBadBody);
  });

  it('answers 429 RATE_LIMIT_EXCEEDED before 400/415: an invalid body to a chatbot over its limit', async () => {
    const bot = await createExhaustedChatbot(apiKey);
    const invalidBodies: [string, unknown, Record<string, string>?][] = [
      ['an empty message', { message: '' }],
      ['a wrong type', { message: 'Hi', stream: 'yes' }],
      ['a body that is not JSON', '{"message":'],
      ['a text/plain body', 'Hello', { 'content-type': 'text/plain' }],
    ];

    for (const [label, body, headers] of invalidBodies) {
      const response = await chat(apiKey, bot.id, body, headers);

      expect(response.status, `${label}: ${response.text}`).toBe(429);
      expect(response.body).toEqual({
        success: false,
        error: expect.any(String),
        code: 'RATE_LIMIT_EXCEEDED',
        retryAfter: expect.any(Number),
      });
      expect(response.body.retryAfter).toBeGreaterThanOrEqual(1);
      expect(response.headers.get('retry-after')).toBe(String(response.body.retryAfter));
      expectRateLimitHeaders(response);
      expect(response.headers.get('x-ratelimit-remaining')).toBe('0');
    }
  });

  it('answers 400 VALIDATION_ERROR before 404 CONVERSATION_NOT_FOUND: an invalid body naming an unknown conversation', async () => {
    const bot = await server.createChatbot(apiKey);

    for (const body of [
      { message: '', conversationId: 'no-such-conversation' },
      { message: 'Hi', conversationId: 'no-such-conversation', stream: 'true' },
      { message: 'Hi', conversationId: 'no-such-conversation', metadata: 'x' },
    ]) {
      const response = await chat(apiKey, bot.id, body);

      expectFailure(response, 400, 'VALIDATION_ERROR');
      expectRateLimitHeaders(response);
    }
  });

  it('answers 400 VALIDATION_ERROR before 402: an invalid body to a workspace without credits', async () => {
    const { key, first } = await createSpentWorkspace();

    const response = await chat(key, first.id, { message: '   ' });

    expectFailure(response, 400, 'VALIDATION_ERROR');
    expectRateLimitHeaders(response);
  });

  it('answers 404 CONVERSATION_NOT_FOUND before 402: an unknown conversation, or one of another chatbot of the workspace, without credits', async () => {
    const { key, first, second, conversationId } = await createSpentWorkspace();

    const unknown = await chat(key, first.id, { message: 'Hi', conversationId: 'no-such-conversation' });
    const ofAnotherChatbot = await chat(key, second.id, { message: 'Hi', conversationId });
    const ownButBroke = await chat(key, first.id, { message: 'Hi', conversationId });

    for (const response of [unknown, ofAnotherChatbot]) {
      expectFailure(response, 404, 'CONVERSATION_NOT_FOUND');
      expectRateLimitHeaders(response);
    }
    // The conversation check passes for the chatbot's own conversation: only then do credits refuse.
    expectFailure(ownButBroke, 402, 'INSUFFICIENT_CREDITS');
    expectRateLimitHeaders(ownButBroke);
    const secondConversations = await server.api(key).get(`/api/v1/chatbots/${second.id}/conversations`);
    expect(secondConversations.body.data).toEqual([]);
  });

  it('answers 404 CONVERSATION_NOT_FOUND for another workspace’s conversation', async () => {
    const other = await server.createWorkspace(1000, 'Other');
    const otherBot = await server.createChatbot(other.apiKey);
    const otherChat = await chat(other.apiKey, otherBot.id, { message: 'Private' });
    const bot = await server.createChatbot(apiKey);

    const response = await chat(apiKey, bot.id, {
      message: 'Hi',
      conversationId: otherChat.body.data.conversationId,
    });

    expectFailure(response, 404, 'CONVERSATION_NOT_FOUND');
    const conversation = await server
      .api(other.apiKey)
      .get(`/api/v1/chatbots/${otherBot.id}/conversations/${otherChat.body.data.conversationId}`);
    expect(conversation.body.data.messages).toHaveLength(2);
  });

  it('answers 415 UNSUPPORTED_MEDIA_TYPE to a body that is not declared as JSON, after the rate limit', async () => {
    const bot = await server.createChatbot(apiKey);

    for (const contentType of [
      'text/plain',
      'text/plain; charset=utf-8',
      'application/x-www-form-urlencoded',
    ]) {
      const response = await chat(apiKey, bot.id, '{"message":"Hello"}', { 'content-type': contentType });

      expect(response.status, `${contentType}: ${response.text}`).toBe(415);
      expect(response.body).toEqual({
        success: false,
        error: 'Content-Type must be application/json',
        code: 'UNSUPPORTED_MEDIA_TYPE',
      });
      expectRateLimitHeaders(response);
    }
    expect((await server.api(apiKey).get(`/api/v1/chatbots/${bot.id}/conversations`)).body.data).toEqual([]);
  });
});

describe('X-RateLimit-* headers on refused chats', () => {
  it('are on every answer after check 3 (400, 404 conversation, 402, 429) and on none before it (401, 404 chatbot, 403)', async () => {
    const active = await server.createChatbot(apiKey);
    const inactive = await server.createChatbot(apiKey, { status: 'inactive' });
    const exhausted = await createExhaustedChatbot(apiKey);
    const spent = await createSpentWorkspace();

    const after: [number, ApiResponse][] = [
      [400, await chat(apiKey, active.id, { message: '' })],
      [404, await chat(apiKey, active.id, { message: 'Hi', conversationId: 'no-such-conversation' })],
      [402, await chat(spent.key, spent.first.id, { message: 'Hi' })],
      [429, await chat(apiKey, exhausted.id, { message: 'Hi' })],
    ];
    const before: [number, ApiResponse][] = [
      [401, await chat(UNKNOWN_WELL_FORMED_KEY, active.id, { message: 'Hi' })],
      [404, await chat(apiKey, 'no-such-chatbot', { message: 'Hi' })],
      [403, await chat(apiKey, inactive.id, { message: 'Hi' })],
    ];

    for (const [status, response] of after) {
      expect(response.status, response.text).toBe(status);
      expectRateLimitHeaders(response);
      const [limit, remaining, reset] = rateLimitHeaders(response).map(Number);
      expect(remaining).toBeLessThanOrEqual(limit ?? Number.NaN);
      expect(reset).toBeGreaterThan(Date.now() / 1000 - 1);
    }
    for (const [status, response] of before) {
      expect(response.status, response.text).toBe(status);
      expectNoRateLimitHeaders(response);
    }
  });
});
