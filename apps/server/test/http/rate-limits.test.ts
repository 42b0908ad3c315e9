import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiResponse, startTestServer, type TestServer } from '../helpers/test-server.ts';

let server: TestServer;
let apiKey: string;

beforeAll(async () => {
  // Chatbots use the built-in local model: rate limiting happens before any provider is involved.
  server = await startTestServer();
  ({ apiKey } = await server.createWorkspace(1000));
});

afterAll(async () => {
  await server.close();
});

const chat = (chatbotId: string) =>
  server.api(apiKey).post(`/api/v1/chatbots/${chatbotId}/chat`, { message: 'Hello' });

const sendSimultaneously = (chatbotId: string, count: number) =>
  Promise.all(Array.from({ length: count }, () => chat(chatbotId)));

function rateLimitHeaders(response: ApiResponse) {
  return {
    limit: response.headers.get('x-ratelimit-limit'),
    remaining: response.headers.get('x-ratelimit-remaining'),
    reset: response.headers.get('x-ratelimit-reset'),
  };
}

describe('chatbot rate limits', () => {
  it('lets exactly N of many simultaneous requests through and answers the rest 429 RATE_LIMIT_EXCEEDED', async () => {
    const bot = await server.createChatbot(apiKey, { rateLimit: { requests: 10, windowSeconds: 60 } });

    const responses = await sendSimultaneously(bot.id, 40);

    const passed = responses.filter((response) => response.status === 200);
    const refused = responses.filter((response) => response.status === 429);
    expect(passed).toHaveLength(10);
    expect(refused).toHaveLength(30);
    for (const response of refused) {
      expect(response.body).toEqual({
        success: false,
        error: expect.any(String),
        code: 'RATE_LIMIT_EXCEEDED',
        retryAfter: expect.any(Number),
      });
    }
    // Each admitted request counted once: the remaining counts it saw are 9, 8, ..., 0.
    const remainingSeen = passed.map((response) => Number(rateLimitHeaders(response).remaining));
    expect(remainingSeen.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('puts X-RateLimit-Limit, a never-negative Remaining and a future Unix-seconds Reset on every response', async () => {
    const windowSeconds = 60;
    const bot = await server.createChatbot(apiKey, { rateLimit: { requests: 10, windowSeconds } });

    const responses = await sendSimultaneously(bot.id, 40);
    const receivedAt = Date.now();

    for (const response of responses) {
      const { limit, remaining, reset } = rateLimitHeaders(response);
      expect(limit).toBe('10');
      expect(remaining).toMatch(/^\d+$/);
      expect(Number(remaining)).toBeGreaterThanOrEqual(0);
      expect(Number(remaining)).toBeLessThanOrEqual(9);
      expect(reset).toMatch(/^\d+$/);
      // Seconds, not milliseconds: within one window of now, and still ahead of it.
      expect(Number(reset)).toBeGreaterThan(Date.now() / 1000);
      expect(Number(reset)).toBeLessThanOrEqual(Math.ceil(receivedAt / 1000) + windowSeconds);
    }
    for (const response of responses.filter((each) => each.status === 429)) {
      expect(rateLimitHeaders(response).remaining).toBe('0');
    }
  });

  it('gives a 429 a Retry-After header equal to the body’s retryAfter, an integer of at least one second', async () => {
    const windowSeconds = 30;
    const bot = await server.createChatbot(apiKey, { rateLimit: { requests: 1, windowSeconds } });
    expect((await chat(bot.id)).status).toBe(200);

    const refused = await chat(bot.id);

    expect(refused.status).toBe(429);
    const retryAfter = refused.body.retryAfter;
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(windowSeconds);
    expect(refused.headers.get('retry-after')).toBe(String(retryAfter));
    expect(refused.headers.get('x-request-id')).toBeTruthy();
  });

  it('counts and labels requests refused after the limit check: invalid body, unknown conversation, a stream', async () => {
    const bot = await server.createChatbot(apiKey, { rateLimit: { requests: 4, windowSeconds: 60 } });
    const client = server.api(apiKey);

    const invalid = await client.post(`/api/v1/chatbots/${bot.id}/chat`, { message: '   ' });
    const unknownConversation = await client.post(`/api/v1/chatbots/${bot.id}/chat`, {
      message: 'Hi',
      conversationId: 'no-such-conversation',
    });
    const stream = await server.chat(apiKey, bot.id, { message: 'Hi', stream: true });
    await stream.text();

    expect(invalid.status).toBe(400);
    expect(rateLimitHeaders(invalid)).toMatchObject({ limit: '4', remaining: '3' });
    expect(unknownConversation.status).toBe(404);
    expect(rateLimitHeaders(unknownConversation)).toMatchObject({ limit: '4', remaining: '2' });
    expect(stream.headers.get('content-type')).toBe('text/event-stream');
    expect(stream.headers.get('x-ratelimit-limit')).toBe('4');
    expect(stream.headers.get('x-ratelimit-remaining')).toBe('1');
    expect(stream.headers.get('x-ratelimit-reset')).toMatch(/^\d+$/);
  });

  it('counts each chatbot on its own: another bot of the same workspace is unaffected', async () => {
    const limit = { requests: 3, windowSeconds: 60 };
    const exhausted = await server.createChatbot(apiKey, { name: 'Busy bot', rateLimit: limit });
    const other = await server.createChatbot(apiKey, { name: 'Quiet bot', rateLimit: limit });
    const first = await sendSimultaneously(exhausted.id, 5);
    expect(first.filter((response) => response.status === 429)).toHaveLength(2);

    const otherResponse = await chat(other.id);

    expect(otherResponse.status).toBe(200);
    expect(rateLimitHeaders(otherResponse)).toMatchObject({ limit: '3', remaining: '2' });
    expect((await chat(exhausted.id)).status).toBe(429);
  });
});
