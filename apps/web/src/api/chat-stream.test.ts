import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { followReply, streamChat } from './chat-stream.ts';
import { ApiError, setCsrfToken } from './client.ts';
import type { ChatStreamEvent } from './types.ts';

// A loopback server that answers like PollyBot's chat route: SSE written in awkward chunks, or a
// JSON failure envelope before the stream starts.
let server: Server;
let origin: string;
const seen: Array<{ csrf?: string; body: unknown }> = [];
const resumed: Array<string | undefined> = [];

const done = {
  success: true,
  data: {
    response: 'Hello!',
    conversationId: 'c1',
    messageId: 'm1',
    usage: { inputTokens: 3, outputTokens: 2, credits: 1 },
  },
};

beforeAll(async () => {
  server = createServer((request, response) => {
    let raw = '';
    request.on('data', (chunk: Buffer) => {
      raw += chunk.toString();
    });
    request.on('end', async () => {
      if (request.method === 'GET') {
        resumed.push(request.headers['last-event-id'] as string | undefined);
        if (request.headers['last-event-id'] === '2-end') {
          response.writeHead(204);
          response.end();
          return;
        }
        // The reconnection sends what follows the last event received: here, after delta 1.
        response.writeHead(200, { 'Content-Type': 'text/event-stream' });
        response.end(
          `id: 2\nevent: delta\ndata: {"content":"lo!"}\n\nid: 2-end\nevent: done\ndata: ${JSON.stringify(done)}\n\n`,
        );
        return;
      }
      seen.push({ csrf: request.headers['x-csrf-token'] as string | undefined, body: JSON.parse(raw) });
      const chatbot = request.url?.split('/')[4];
      if (chatbot === 'limited') {
        response.writeHead(429, { 'Content-Type': 'application/json', 'Retry-After': '7' });
        response.end(
          JSON.stringify({
            success: false,
            error: 'Rate limit exceeded',
            code: 'RATE_LIMIT_EXCEEDED',
            retryAfter: 7,
          }),
        );
        return;
      }
      response.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
      const text =
        chatbot === 'cut'
          ? 'event: start\ndata: {"conversationId":"c1","messageId":"m1"}\n\nevent: delta\ndata: {"content":"Hel"}\n\n'
          : `event: start\ndata: {"conversationId":"c1","messageId":"m1"}\n\n: ping\n\nevent: delta\ndata: {"content":"Hel"}\n\nevent: delta\ndata: {"content":"lo!"}\n\nevent: done\ndata: ${JSON.stringify(done)}\n\n`;
      for (let index = 0; index < text.length; index += 9) {
        response.write(text.slice(index, index + 9));
        await new Promise((resolve) => setImmediate(resolve));
      }
      response.end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => {
  server.close();
  setCsrfToken(undefined);
});

describe('streamChat', () => {
  it('reports start, each delta and done as they are read, and sends the CSRF token', async () => {
    setCsrfToken('csrf-1');
    const events: ChatStreamEvent[] = [];
    await streamChat({
      origin,
      chatbotId: 'bot',
      message: 'Hi',
      conversationId: 'c0',
      onEvent: (event) => events.push(event),
    });
    expect(events.map((event) => event.event)).toEqual(['start', 'delta', 'delta', 'done']);
    const text = events.flatMap((event) => (event.event === 'delta' ? [event.data.content] : [])).join('');
    expect(text).toBe('Hello!');
    expect(seen.at(-1)).toEqual({
      csrf: 'csrf-1',
      body: { message: 'Hi', stream: true, conversationId: 'c0' },
    });
  });

  it('throws the failure envelope of a refusal before the stream, with retryAfter', async () => {
    const failure = await streamChat({
      origin,
      chatbotId: 'limited',
      message: 'Hi',
      onEvent: () => {},
    }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApiError);
    expect(failure).toMatchObject({ status: 429, code: 'RATE_LIMIT_EXCEEDED', retryAfter: 7 });
  });

  it('ends a stream cut without its terminal event with an error event', async () => {
    const events: ChatStreamEvent[] = [];
    await streamChat({ origin, chatbotId: 'cut', message: 'Hi', onEvent: (event) => events.push(event) });
    expect(events.map((event) => event.event)).toEqual(['start', 'delta', 'error']);
    expect(events.at(-1)).toMatchObject({ data: { code: 'STREAM_INTERRUPTED' } });
  });
});

describe('followReply', () => {
  const address = { chatbotId: 'bot', conversationId: 'c1', messageId: 'm1' };

  it('sends Last-Event-ID and reports the events after it with their ids, through the terminal one', async () => {
    const events: Array<{ event: string; id: string | undefined }> = [];
    const followed = await followReply({
      ...address,
      origin,
      lastEventId: '1',
      onEvent: (event, id) => events.push({ event: event.event, id }),
    });
    expect(followed).toBe(true);
    expect(resumed.at(-1)).toBe('1');
    expect(events).toEqual([
      { event: 'delta', id: '2' },
      { event: 'done', id: '2-end' },
    ]);
  });

  it('answers false when the server says every event was received (204)', async () => {
    const events: string[] = [];
    const followed = await followReply({
      ...address,
      origin,
      lastEventId: '2-end',
      onEvent: (event) => events.push(event.event),
    });
    expect(followed).toBe(false);
    expect(events).toEqual([]);
  });
});
