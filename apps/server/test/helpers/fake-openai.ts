import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type RecordedRequest, recordRequest } from './fake-upstream.ts';

/** How the fake answers one request. */
export type FakeReply = {
  text?: string;
  /** Answer with this HTTP status and an error body instead of a completion. */
  status?: number;
  errorBody?: unknown;
  /** Headers of that error response (e.g. `retry-after-ms`). */
  errorHeaders?: Record<string, string>;
  firstTokenDelayMs?: number;
  interTokenDelayMs?: number;
  /** After this many content chunks, wait for `until` before sending the rest (a reply held mid-stream). */
  pauseAfterChunks?: { count: number; until: Promise<unknown> };
  /** Never answer (a provider that went silent). */
  hang?: boolean;
  /**
   * After this many content chunks, fail: with an OpenAI error chunk, by dropping the connection, or by ending
   * the response cleanly with neither a finish reason nor `[DONE]` (a reply cut off).
   */
  failAfterChunks?: { count: number; how: 'error-chunk' | 'disconnect' | 'end' };
  usage?: { promptTokens: number; completionTokens: number };
  /** Send no usage chunk even when asked for one (servers that ignore `stream_options`). */
  omitUsage?: boolean;
};

type ReceivedRequest = RecordedRequest<{
  model: string;
  messages: { role: string; content: string }[];
  temperature?: number;
  max_tokens?: number;
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
}>;

type ReceivedEmbeddingRequest = RecordedRequest<{
  model: string;
  input: string | string[];
  encoding_format?: 'float' | 'base64';
  dimensions?: number;
}>;

/** How the fake answers one embeddings request: vectors by default, or a failure. */
type FakeEmbeddingReply = {
  /** Answer with this HTTP status and an error body instead of vectors. */
  status?: number;
  errorBody?: unknown;
  /** Never answer (a provider that went silent). */
  hang?: boolean;
};

/** The fake's vectors have this many dimensions. */
export const FAKE_EMBEDDING_DIMENSIONS = 64;

/**
 * The fake's embedding of a text: its words (lower-cased letters and digits) counted into hashed buckets,
 * not normalised. Texts sharing words point the same way, so similarity tests can say what is nearest.
 */
export function fakeEmbedding(text: string, dimensions = FAKE_EMBEDDING_DIMENSIONS): number[] {
  const vector: number[] = new Array(dimensions).fill(0);
  for (const word of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    // FNV-1a, 32 bits.
    let hash = 0x811c9dc5;
    for (let index = 0; index < word.length; index++) {
      hash ^= word.charCodeAt(index);
      hash = Math.imul(hash, 0x01000193);
    }
    const bucket = (hash >>> 0) % dimensions;
    vector[bucket] = (vector[bucket] ?? 0) + 1;
  }
  return vector;
}

/**
 * An OpenAI-compatible server on loopback, speaking the real wire protocol: Chat Completions (JSON and
 * `data:` server-sent chunks ending in `[DONE]`) and Embeddings. It records what it received.
 */
export type FakeOpenAi = {
  baseUrl: string;
  requests: ReceivedRequest[];
  /** Replies used in order, one per request; when none is queued, `defaultReply` answers. */
  queue: (...replies: FakeReply[]) => void;
  defaultReply: FakeReply;
  /** `POST /v1/embeddings` requests, kept apart from the chat requests above. */
  embeddingRequests: ReceivedEmbeddingRequest[];
  /** Embedding replies used in order, one per request; when none is queued, vectors answer. */
  queueEmbeddings: (...replies: FakeEmbeddingReply[]) => void;
  close: () => Promise<void>;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function splitWords(text: string): string[] {
  return text.match(/\s*\S+\s*/g) ?? [];
}

export async function startFakeOpenAi(): Promise<FakeOpenAi> {
  const queued: FakeReply[] = [];
  const requests: ReceivedRequest[] = [];
  const queuedEmbeddings: FakeEmbeddingReply[] = [];
  const embeddingRequests: ReceivedEmbeddingRequest[] = [];
  const sockets = new Set<import('node:net').Socket>();
  const fake: FakeOpenAi = {
    baseUrl: '',
    requests,
    queue: (...replies) => queued.push(...replies),
    defaultReply: { text: 'Hello from the fake model.' },
    embeddingRequests,
    queueEmbeddings: (...replies) => queuedEmbeddings.push(...replies),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      server.close();
      await once(server, 'close');
    },
  };

  const handleEmbeddings = async (request: IncomingMessage, response: ServerResponse) => {
    const { received, finish } = await recordRequest(embeddingRequests, request, response);
    const { body } = received;
    const reply = queuedEmbeddings.shift() ?? {};
    if (reply.hang) return;
    finish();
    if (reply.status && reply.status >= 400) {
      response.writeHead(reply.status, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify(
          reply.errorBody ?? { error: { message: 'upstream exploded', type: 'server_error', code: null } },
        ),
      );
      return;
    }
    const inputs = typeof body.input === 'string' ? [body.input] : body.input;
    const tokens = inputs.reduce((sum, text) => sum + (text.match(/\S+/g)?.length ?? 0), 0);
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(
      JSON.stringify({
        object: 'list',
        data: inputs.map((text, index) => {
          const vector = fakeEmbedding(text);
          return {
            object: 'embedding',
            index,
            // base64: the little-endian float32 bytes, as OpenAI sends them when asked.
            embedding:
              body.encoding_format === 'base64'
                ? Buffer.from(Float32Array.from(vector).buffer).toString('base64')
                : vector,
          };
        }),
        model: body.model,
        usage: { prompt_tokens: tokens, total_tokens: tokens },
      }),
    );
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    if (request.method === 'POST' && request.url?.endsWith('/embeddings')) {
      await handleEmbeddings(request, response);
      return;
    }
    if (request.method !== 'POST' || !request.url?.endsWith('/chat/completions')) {
      response.writeHead(404, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { message: 'not found', type: 'invalid_request_error' } }));
      return;
    }
    const { received, finish } = await recordRequest(requests, request, response);
    const { body } = received;

    const reply = queued.shift() ?? fake.defaultReply;
    if (reply.hang) return;
    await sleep(reply.firstTokenDelayMs ?? 0);
    if (reply.status && reply.status >= 400) {
      finish();
      response.writeHead(reply.status, { 'content-type': 'application/json', ...reply.errorHeaders });
      response.end(
        JSON.stringify(
          reply.errorBody ?? { error: { message: 'upstream exploded', type: 'server_error', code: null } },
        ),
      );
      return;
    }

    const text = reply.text ?? '';
    const usage = {
      prompt_tokens: reply.usage?.promptTokens ?? 11,
      completion_tokens: reply.usage?.completionTokens ?? splitWords(text).length,
      total_tokens:
        (reply.usage?.promptTokens ?? 11) + (reply.usage?.completionTokens ?? splitWords(text).length),
    };
    const base = { id: 'chatcmpl-fake', created: Math.floor(Date.now() / 1000), model: body.model };

    if (!body.stream) {
      finish();
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          ...base,
          object: 'chat.completion',
          choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
          usage,
        }),
      );
      return;
    }

    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const send = (payload: unknown) => {
      if (!response.destroyed) response.write(`data: ${JSON.stringify(payload)}\n\n`);
    };
    const chunk = (delta: Record<string, unknown>, finishReason: string | null = null) => ({
      ...base,
      object: 'chat.completion.chunk',
      choices: [{ index: 0, delta, finish_reason: finishReason }],
    });
    send(chunk({ role: 'assistant', content: '' }));
    const words = splitWords(text);
    for (const [index, word] of words.entries()) {
      if (response.destroyed) return;
      if (reply.failAfterChunks && index === reply.failAfterChunks.count) {
        if (reply.failAfterChunks.how === 'disconnect') {
          response.socket?.destroy();
          return;
        }
        if (reply.failAfterChunks.how === 'end') {
          finish();
          response.end();
          return;
        }
        finish();
        send({ error: { message: 'The model crashed mid-answer', type: 'server_error', code: 'internal' } });
        response.end();
        return;
      }
      if (reply.pauseAfterChunks && index === reply.pauseAfterChunks.count) {
        await reply.pauseAfterChunks.until;
        if (response.destroyed) return;
      }
      send(chunk({ content: word }));
      if (reply.interTokenDelayMs) await sleep(reply.interTokenDelayMs);
    }
    send(chunk({}, 'stop'));
    if (body.stream_options?.include_usage && !reply.omitUsage)
      send({ ...base, object: 'chat.completion.chunk', choices: [], usage });
    finish();
    response.end('data: [DONE]\n\n');
  };

  const server = createServer((request, response) => {
    handle(request, response).catch(() => response.destroy());
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  fake.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  return fake;
}
