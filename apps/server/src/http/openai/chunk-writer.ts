import type { FastifyBaseLogger, FastifyReply } from 'fastify';
import { appErrorFromEnvelope } from '../../errors/app-error.ts';
import type { ReplyStream } from '../../features/chat/reply-stream.ts';
import { toAppError } from '../plugins/error-handler.ts';
import { SSE_PING } from '../sse.ts';
import { type CompletionContext, createChunks } from './completion-response.ts';
import { toOpenAiError } from './openai-error.ts';

/** The response header that names the stored conversation, on every answer of the chat route. */
export const CONVERSATION_HEADER = 'x-pollybot-conversation-id';

/**
 * Relays a reply's events as OpenAI's `chat.completion.chunk` stream: the role chunk with the first text (so a
 * failure before any text is still an ordinary JSON error with its status), a content chunk per delta, the
 * final chunk with an empty delta and the finish reason, the usage chunk when asked for, then `data: [DONE]`.
 * A failure after the first chunk is one `data: {"error": {...}}` line (the `openai` SDK's Stream throws it as
 * an APIError), and the stream ends without `[DONE]`. A client that leaves does not stop the turn.
 */
export async function relayCompletionChunks(
  reply: FastifyReply,
  stream: ReplyStream,
  options: { context: CompletionContext; includeUsage: boolean; heartbeatMs: number; log: FastifyBaseLogger },
): Promise<FastifyReply> {
  const chunks = createChunks(options.context, options.includeUsage);
  const raw = reply.raw;
  let heartbeat: NodeJS.Timeout | undefined;
  const write = (text: string) => {
    if (raw.destroyed || raw.writableEnded) return;
    raw.write(text);
    heartbeat?.refresh();
  };
  const send = (payload: unknown) => write(`data: ${JSON.stringify(payload)}\n\n`);
  const open = () => {
    reply.hijack();
    raw.writeHead(200, {
      ...reply.getHeaders(),
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    } as Record<string, string>);
    raw.flushHeaders();
    heartbeat = setInterval(() => write(SSE_PING), options.heartbeatMs);
    send(chunks.role());
  };
  const end = (last?: string) => {
    clearInterval(heartbeat);
    if (!raw.destroyed && !raw.writableEnded) raw.end(last);
  };

  try {
    for await (const event of stream.events) {
      if (raw.destroyed) break;
      if (event.event === 'start') {
        reply.header(CONVERSATION_HEADER, event.data.conversationId);
        continue;
      }
      if (event.event === 'error') {
        // Nothing was sent: the failure is an ordinary JSON error, with its status.
        if (!reply.sent) throw appErrorFromEnvelope(event.data);
        send(toOpenAiError(appErrorFromEnvelope(event.data)).body);
        end();
        break;
      }
      if (!reply.sent) open();
      if (event.event === 'delta') {
        send(chunks.content(event.data.content));
        continue;
      }
      for (const chunk of chunks.end(event.data.data)) send(chunk);
      end('data: [DONE]\n\n');
      break;
    }
  } catch (error) {
    // The reply could not be stored (the database went away): before the first chunk the error handler
    // answers; after it, one error line ends the stream.
    if (!reply.sent) throw error;
    options.log.error({ err: error }, 'unexpected error');
    const appError = toAppError(error as Error);
    if (stream.kind === 'live') stream.fail(appError.toEnvelope());
    send(toOpenAiError(appError).body);
  } finally {
    // A client that left before the first chunk: take the reply over to end it quietly.
    if (!reply.sent && raw.destroyed) reply.hijack();
    if (reply.sent) end();
  }
  return reply;
}
