import { pathToFileURL } from 'node:url';
import { readSseStream } from '@pollybot/contracts/sse-reader';
import Fastify from 'fastify';
import { Agent, request } from 'undici';

// The baseline every PollyBot figure is divided by: the least a chat server must do on top of the model.
// A bare Fastify app that parses the JSON body, calls the upstream with undici and answers JSON, or relays
// the upstream's chunks as PollyBot's `start`, `delta` and `done` events. No auth, limits, credits, history
// or storage. The chatbot id in the path is used as the upstream's model name.

type ChatBody = { message: string; stream?: boolean };
type Completion = {
  choices: { message: { content: string } }[];
  usage: { prompt_tokens: number; completion_tokens: number };
};
type CompletionChunk = {
  choices: { delta?: { content?: string } }[];
  usage?: { prompt_tokens: number; completion_tokens: number } | null;
};

export async function startBaselineProxy(upstreamBaseUrl: string): Promise<string> {
  const upstream = new URL(`${upstreamBaseUrl.replace(/\/+$/, '')}/chat/completions`);
  const dispatcher = new Agent({ keepAliveTimeout: 60_000 });
  const app = Fastify({ logger: false, bodyLimit: 1_048_576 });

  app.post<{ Params: { chatbotId: string }; Body: ChatBody }>(
    '/api/v1/chatbots/:chatbotId/chat',
    async (incoming, reply) => {
      const { message, stream = false } = incoming.body;
      const model = incoming.params.chatbotId;
      const controller = new AbortController();
      const upstreamReply = await request(upstream, {
        method: 'POST',
        dispatcher,
        signal: controller.signal,
        headers: { 'content-type': 'application/json', authorization: 'Bearer not-needed' },
        body: JSON.stringify({
          model,
          messages: [{ role: 'user', content: message }],
          stream,
          ...(stream ? { stream_options: { include_usage: true } } : {}),
        }),
      });
      if (!stream) {
        const completion = (await upstreamReply.body.json()) as Completion;
        return {
          success: true,
          data: {
            response: completion.choices[0]?.message.content ?? '',
            conversationId: 'baseline',
            messageId: 'baseline',
            usage: {
              inputTokens: completion.usage.prompt_tokens,
              outputTokens: completion.usage.completion_tokens,
              credits: 1,
            },
          },
        };
      }

      reply.hijack();
      const raw = reply.raw;
      raw.on('close', () => {
        if (!raw.writableFinished) controller.abort();
      });
      raw.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      raw.write('event: start\ndata: {"conversationId":"baseline","messageId":"baseline"}\n\n');
      let text = '';
      let usage = { inputTokens: 0, outputTokens: 0, credits: 1 };
      try {
        for await (const message of readSseStream(upstreamReply.body)) {
          if (message.data === '[DONE]') continue;
          const parsed = JSON.parse(message.data) as CompletionChunk;
          const content = parsed.choices[0]?.delta?.content;
          if (content) {
            text += content;
            raw.write(`event: delta\ndata: ${JSON.stringify({ content })}\n\n`);
          }
          if (parsed.usage) {
            usage = {
              inputTokens: parsed.usage.prompt_tokens,
              outputTokens: parsed.usage.completion_tokens,
              credits: 1,
            };
          }
        }
        const done = { response: text, conversationId: 'baseline', messageId: 'baseline', usage };
        raw.end(`event: done\ndata: ${JSON.stringify({ success: true, data: done })}\n\n`);
      } catch {
        raw.destroy();
      }
    },
  );

  const address = await app.listen({ port: 0, host: '127.0.0.1', backlog: 8192 });
  return address;
}

// As a child process: `node --import tsx baseline-proxy.ts <upstream base URL>`.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const upstream = process.argv[2];
  if (!upstream) throw new Error('usage: baseline-proxy.ts <upstream base URL>');
  process.stdout.write(`listening at ${await startBaselineProxy(upstream)}\n`);
}
