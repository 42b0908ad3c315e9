import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { APICallError } from '@ai-sdk/provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createOpenAiChatStream,
  isReasoningModel,
  type ProviderPart,
  toChatCompletionBody,
} from './openai-chat-stream.ts';

type Handler = (body: Record<string, unknown>, response: ServerResponse) => void;

let server: Server;
let baseUrl: string;
let handler: Handler;
let connections = 0;
const bodies: Record<string, unknown>[] = [];

beforeAll(async () => {
  server = createServer(async (request: IncomingMessage, response: ServerResponse) => {
    let text = '';
    for await (const chunk of request) text += chunk;
    const body = JSON.parse(text) as Record<string, unknown>;
    bodies.push(body);
    handler(body, response);
  });
  server.on('connection', () => connections++);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});

afterAll(async () => {
  server.closeAllConnections();
  server.close();
});

const chunk = (content: string | undefined, finishReason: string | null = null) =>
  `data: ${JSON.stringify({
    id: 'chatcmpl-1',
    object: 'chat.completion.chunk',
    choices: [{ index: 0, delta: content === undefined ? {} : { content }, finish_reason: finishReason }],
  })}\n\n`;
const usage = `data: ${JSON.stringify({ choices: [], usage: { prompt_tokens: 7, completion_tokens: 3 } })}\n\n`;

const streamChat = () => createOpenAiChatStream({ baseUrl, apiKey: 'sk-test' });
const call = (model = 'gpt-4o-mini') => ({
  model,
  messages: [
    { role: 'system' as const, content: 'Be brief.' },
    { role: 'user' as const, content: 'Hi' },
  ],
  temperature: 0.3,
  maxTokens: 100,
  signal: new AbortController().signal,
});

async function collect(parts: AsyncIterable<ProviderPart>): Promise<ProviderPart[]> {
  const all: ProviderPart[] = [];
  for await (const part of parts) all.push(part);
  return all;
}

describe('toChatCompletionBody', () => {
  it('sends the system message, temperature and max_tokens, streamed with usage', () => {
    const { signal: _, ...rest } = call();
    expect(toChatCompletionBody(rest)).toEqual({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
      ],
      temperature: 0.3,
      max_tokens: 100,
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it('sends a reasoning model its instructions as developer, max_completion_tokens and no temperature', () => {
    const { signal: _, ...rest } = call('o3-mini');
    const body = toChatCompletionBody(rest);
    expect(body.messages).toEqual([
      { role: 'developer', content: 'Be brief.' },
      { role: 'user', content: 'Hi' },
    ]);
    expect(body).toMatchObject({ max_completion_tokens: 100 });
    expect(body).not.toHaveProperty('temperature');
    expect(body).not.toHaveProperty('max_tokens');
  });

  it.each([
    ['o1', true],
    ['o4-mini', true],
    ['gpt-5', true],
    ['gpt-5.1-mini', true],
    ['gpt-5-chat-latest', false],
    ['gpt-4.1', false],
    ['llama3.1:8b', false],
    ['omni-model', false],
  ])('calls %s a reasoning model: %s', (model, expected) => {
    expect(isReasoningModel(model)).toBe(expected);
  });
});

describe('createOpenAiChatStream', () => {
  it('yields the text as it comes, then finish with the provider’s token counts', async () => {
    handler = (_body, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write(chunk(''));
      response.write(chunk('Hello'));
      response.write(`${chunk(' there')}${chunk(undefined, 'stop')}`);
      response.end(`${usage}data: [DONE]\n\n`);
    };

    const parts = await collect(await streamChat()(call()));

    expect(parts).toEqual([
      { type: 'text', text: 'Hello' },
      { type: 'text', text: ' there' },
      { type: 'finish', usage: { inputTokens: 7, outputTokens: 3 } },
    ]);
    expect(bodies.at(-1)).toMatchObject({ model: 'gpt-4o-mini', stream: true });
  });

  it('keeps a character whose bytes arrive in two network writes whole', async () => {
    const bytes = Buffer.from(chunk('café ☕'));
    const cut = bytes.indexOf(Buffer.from('☕')) + 1;
    handler = (_body, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write(bytes.subarray(0, cut));
      setTimeout(
        () => response.end(Buffer.concat([bytes.subarray(cut), Buffer.from('data: [DONE]\n\n')])),
        5,
      );
    };

    const parts = await collect(await streamChat()(call()));

    expect(parts[0]).toEqual({ type: 'text', text: 'café ☕' });
    expect(parts.at(-1)).toEqual({
      type: 'finish',
      usage: { inputTokens: undefined, outputTokens: undefined },
    });
  });

  it('yields no finish for a stream that closes without [DONE] or a finish reason', async () => {
    handler = (_body, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.end(chunk('Half an ans'));
    };

    const parts = await collect(await streamChat()(call()));

    expect(parts).toEqual([{ type: 'text', text: 'Half an ans' }]);
  });

  it('yields an error part for an error chunk', async () => {
    handler = (_body, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.end(`${chunk('Hi')}data: {"error":{"message":"model crashed"}}\n\n`);
    };

    const parts = await collect(await streamChat()(call()));

    expect(parts[1]?.type).toBe('error');
    expect(parts.some((part) => part.type === 'finish')).toBe(false);
  });

  it('rejects a 429 with a retryable APICallError carrying the provider’s headers', async () => {
    handler = (_body, response) => {
      response.writeHead(429, { 'content-type': 'application/json', 'retry-after-ms': '20' });
      response.end(JSON.stringify({ error: { message: 'slow down', type: 'rate_limit' } }));
    };

    const error = await streamChat()(call()).catch((caught: unknown) => caught);

    expect(APICallError.isInstance(error)).toBe(true);
    const apiError = error as APICallError;
    expect(apiError).toMatchObject({ statusCode: 429, isRetryable: true, message: 'slow down' });
    expect(apiError.responseHeaders?.['retry-after-ms']).toBe('20');
  });

  it('rejects a 400 with an APICallError that is not retryable', async () => {
    handler = (_body, response) => {
      response.writeHead(400, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { message: 'bad request' } }));
    };

    const error = await streamChat()(call()).catch((caught: unknown) => caught);

    expect(error).toMatchObject({ statusCode: 400, isRetryable: false });
  });

  it('rejects a refused connection with a retryable APICallError', async () => {
    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const port = (closed.address() as AddressInfo).port;
    closed.close();
    await once(closed, 'close');

    const refused = createOpenAiChatStream({ baseUrl: `http://127.0.0.1:${port}/v1`, apiKey: 'sk-test' });
    const error = await refused(call()).catch((caught: unknown) => caught);

    expect(error).toMatchObject({ isRetryable: true });
    expect(APICallError.isInstance(error)).toBe(true);
  });

  it('reuses its keep-alive connections for replies read to their end', async () => {
    handler = (_body, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.end(`${chunk('Hi', 'stop')}data: [DONE]\n\n`);
    };
    const stream = streamChat();
    const before = connections;

    for (let index = 0; index < 6; index++) await collect(await stream(call()));

    // A connection dropped after each reply would make six; the pool may open a second while the first is
    // still being handed back.
    expect(connections - before).toBeLessThanOrEqual(2);
  });
});
