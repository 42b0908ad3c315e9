import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { type RecordedRequest, recordRequest } from './fake-upstream.ts';

/** How the fake answers one request. */
type FakeOllamaReply = {
  text?: string;
  /** Answer with this HTTP status and Ollama's error body (`{"error": "..."}`) instead of a chat. */
  status?: number;
  /** After this many content lines, send Ollama's mid-stream error line `{"error": "..."}` and end. */
  errorAfterChunks?: number;
  /** End the stream after the content lines, without the final `"done": true` line. */
  omitDone?: boolean;
  interTokenDelayMs?: number;
  usage?: { promptEvalCount: number; evalCount: number };
};

type OllamaChatRequest = RecordedRequest<{
  model: string;
  messages: { role: string; content: string }[];
  stream?: boolean;
  think?: boolean;
  options?: { temperature?: number; num_predict?: number; [option: string]: unknown };
  [field: string]: unknown;
}>;

export type FakeOllama = {
  /** The server's root, as OLLAMA_BASE_URL takes it (no `/api`). */
  baseUrl: string;
  requests: OllamaChatRequest[];
  /** Replies used in order, one per request; when none is queued, `defaultReply` answers. */
  queue: (...replies: FakeOllamaReply[]) => void;
  defaultReply: FakeOllamaReply;
  /** The text of the mid-stream and status errors, so tests can check it is never forwarded. */
  errorText: string;
  close: () => Promise<void>;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function splitWords(text: string): string[] {
  return text.match(/\s*\S+\s*/g) ?? [];
}

/**
 * An Ollama server on loopback speaking the real `POST /api/chat` protocol: with `"stream": true`
 * (Ollama's default) NDJSON lines of `{model, created_at, message, done: false}` and a final line
 * with `done: true`, `done_reason` and the token counts; with `"stream": false` one JSON object.
 */
export async function startFakeOllama(): Promise<FakeOllama> {
  const queued: FakeOllamaReply[] = [];
  const requests: OllamaChatRequest[] = [];
  const sockets = new Set<Socket>();
  const fake: FakeOllama = {
    baseUrl: '',
    requests,
    queue: (...replies) => queued.push(...replies),
    defaultReply: { text: 'Hello from the fake llama.' },
    errorText: 'llama runner process has terminated: exit status 2',
    close: async () => {
      for (const socket of sockets) socket.destroy();
      server.close();
      await once(server, 'close');
    },
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    if (request.method !== 'POST' || request.url !== '/api/chat') {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      response.end('404 page not found');
      return;
    }
    const { received, finish } = await recordRequest(requests, request, response);
    const { body } = received;

    const reply = queued.shift() ?? fake.defaultReply;
    if (reply.status && reply.status >= 400) {
      finish();
      response.writeHead(reply.status, { 'content-type': 'application/json; charset=utf-8' });
      response.end(JSON.stringify({ error: fake.errorText }));
      return;
    }

    const text = reply.text ?? '';
    const words = splitWords(text);
    const line = (content: string, done: boolean) => ({
      model: body.model,
      created_at: new Date().toISOString(),
      message: { role: 'assistant', content },
      done,
    });
    const final = {
      ...line('', true),
      done_reason: 'stop',
      total_duration: 4_935_886_791,
      load_duration: 534_986_708,
      prompt_eval_count: reply.usage?.promptEvalCount ?? 26,
      prompt_eval_duration: 107_345_000,
      eval_count: reply.usage?.evalCount ?? words.length,
      eval_duration: 4_289_432_000,
    };

    if (body.stream === false) {
      finish();
      response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      response.end(JSON.stringify({ ...final, message: { role: 'assistant', content: text } }));
      return;
    }

    response.writeHead(200, { 'content-type': 'application/x-ndjson' });
    const send = (value: unknown) => {
      if (!response.destroyed) response.write(`${JSON.stringify(value)}\n`);
    };
    for (const [index, word] of words.entries()) {
      if (response.destroyed) return;
      if (reply.errorAfterChunks !== undefined && index === reply.errorAfterChunks) {
        finish();
        send({ error: fake.errorText });
        response.end();
        return;
      }
      send(line(word, false));
      if (reply.interTokenDelayMs) await sleep(reply.interTokenDelayMs);
    }
    finish();
    if (!reply.omitDone) send(final);
    response.end();
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
  fake.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}
