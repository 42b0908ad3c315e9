import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';

// An OpenAI-compatible model that answers as fast as it is told to: Chat Completions as one JSON document,
// or with `stream: true` as `data:` chunks (usage last when `stream_options.include_usage`), then
// `data: [DONE]`. The bench runs it in a process of its own, so its work never shares the load generator's
// event loop or the server's.

/** How one reply is shaped: its length in tokens and the delays before the first token and between tokens. */
export type ReplyShape = { tokens: number; firstTokenDelayMs: number; interTokenDelayMs: number };

/**
 * The model name that asks the fake for this shape, e.g. `bench-t50-f20-g5`. Chatbots and the baseline pass
 * their model through untouched, so each scenario picks its reply without any control channel.
 */
export function modelForShape(shape: ReplyShape): string {
  return `bench-t${shape.tokens}-f${shape.firstTokenDelayMs}-g${shape.interTokenDelayMs}`;
}

/** The shape a model name asks for; parts it does not name come from `defaults`. */
export function shapeForModel(model: string, defaults: ReplyShape): ReplyShape {
  const read = (letter: string, fallback: number) => {
    const match = model.match(new RegExp(`-${letter}(\\d+)(?:-|$)`));
    return match ? Number(match[1]) : fallback;
  };
  return {
    tokens: read('t', defaults.tokens),
    firstTokenDelayMs: read('f', defaults.firstTokenDelayMs),
    interTokenDelayMs: read('g', defaults.interTokenDelayMs),
  };
}

const WORDS = [
  'Sure',
  'our',
  'shop',
  'opens',
  'at',
  'nine',
  'and',
  'ships',
  'every',
  'order',
  'within',
  'two',
];
const PROMPT_TOKENS = 24;

type Frames = { json: string; chunks: string[] };

/** The reply's bytes, built once per token count: the fake must cost next to nothing per request. */
function buildFrames(tokens: number, model: string): Frames {
  const base = { id: 'chatcmpl-bench', created: Math.floor(Date.now() / 1000), model };
  const words = Array.from({ length: tokens }, (_, index) => `${WORDS[index % WORDS.length]} `);
  const usage = {
    prompt_tokens: PROMPT_TOKENS,
    completion_tokens: tokens,
    total_tokens: PROMPT_TOKENS + tokens,
  };
  const chunk = (delta: Record<string, unknown>, finishReason: string | null = null) =>
    `data: ${JSON.stringify({
      ...base,
      object: 'chat.completion.chunk',
      choices: [{ index: 0, delta, finish_reason: finishReason }],
    })}\n\n`;
  return {
    json: JSON.stringify({
      ...base,
      object: 'chat.completion',
      choices: [{ index: 0, message: { role: 'assistant', content: words.join('') }, finish_reason: 'stop' }],
      usage,
    }),
    chunks: [
      chunk({ role: 'assistant', content: '' }),
      ...words.map((word) => chunk({ content: word })),
      chunk({}, 'stop'),
    ],
  };
}

/** Resolves after `ms`, or at once when the response closes (a held stream the client gave up on). */
function pause(ms: number, response: ServerResponse): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      response.off('close', done);
      resolve();
    }
    response.once('close', done);
  });
}

async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  let text = '';
  for await (const chunk of request) text += chunk;
  return JSON.parse(text) as Record<string, unknown>;
}

/** Starts the fake on loopback; `defaults` shape replies whose model name does not say otherwise. */
export async function startFakeUpstream(defaults: ReplyShape): Promise<{ server: Server; baseUrl: string }> {
  const frames = new Map<string, Frames>();
  const framesFor = (tokens: number, model: string) => {
    const key = `${tokens}:${model}`;
    let found = frames.get(key);
    if (!found) {
      found = buildFrames(tokens, model);
      frames.set(key, found);
    }
    return found;
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    if (request.method !== 'POST' || !request.url?.endsWith('/chat/completions')) {
      response.writeHead(404, { 'content-type': 'application/json' });
      response.end('{"error":{"message":"not found","type":"invalid_request_error"}}');
      return;
    }
    const body = await readJson(request);
    const model = String(body.model ?? 'bench');
    const shape = shapeForModel(model, defaults);
    const reply = framesFor(shape.tokens, model);
    await pause(shape.firstTokenDelayMs, response);
    if (body.stream !== true) {
      await pause(shape.interTokenDelayMs * Math.max(0, shape.tokens - 1), response);
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(reply.json);
      return;
    }
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const [first, ...rest] = reply.chunks;
    // The role chunk and the first token leave together: the first token is what the delay is before.
    response.write(`${first}${rest.shift() ?? ''}`);
    for (const chunk of rest) {
      if (shape.interTokenDelayMs > 0) {
        await pause(shape.interTokenDelayMs, response);
        if (response.destroyed) return;
        response.write(chunk);
      } else {
        response.write(chunk);
      }
    }
    const usage = (body.stream_options as { include_usage?: boolean } | undefined)?.include_usage
      ? `data: ${JSON.stringify({
          id: 'chatcmpl-bench',
          object: 'chat.completion.chunk',
          model,
          choices: [],
          usage: {
            prompt_tokens: PROMPT_TOKENS,
            completion_tokens: shape.tokens,
            total_tokens: PROMPT_TOKENS + shape.tokens,
          },
        })}\n\n`
      : '';
    response.end(`${usage}data: [DONE]\n\n`);
  };

  const server = createServer((request, response) => {
    handle(request, response).catch(() => response.destroy());
  });
  server.keepAliveTimeout = 60_000;
  // Thousands of held streams open at once: a deep accept queue.
  server.listen({ port: 0, host: '127.0.0.1', backlog: 8192 });
  await once(server, 'listening');
  return { server, baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1` };
}

// As a child process: `node --import tsx fake-upstream.ts <tokens> <firstTokenDelayMs> <interTokenDelayMs>`.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [tokens = 50, firstTokenDelayMs = 0, interTokenDelayMs = 0] = process.argv.slice(2).map(Number);
  const { baseUrl } = await startFakeUpstream({ tokens, firstTokenDelayMs, interTokenDelayMs });
  process.stdout.write(`listening at ${baseUrl}\n`);
}
