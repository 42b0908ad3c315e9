import type { ChatStreamEventWithId } from '@pollybot/contracts';
import type { FastifyBaseLogger, FastifyReply } from 'fastify';
import { appErrorFromEnvelope } from '../errors/app-error.ts';
import { isTerminal, type ReplyEvent } from '../features/chat/reply-events.ts';
import type { ReplyStream } from '../features/chat/reply-stream.ts';
import { toAppError } from './plugins/error-handler.ts';

/**
 * One event as written: a reply's event of the contract's `chatStreamEventSchema`, or a door's own form of it
 * (the widget's, whose `done` carries no usage and whose `error` says the business's message).
 */
type SseFrame = ChatStreamEventWithId | { id: string; event: 'done' | 'error'; data: object };

/** How a door rewrites a reply's events for its clients; unset, they go out as they are. */
export type ReplyEventMapper = (event: ReplyEvent) => SseFrame;

/** Frames one Server-Sent Event with its id; data is JSON on a single line, as the contract shows. */
export function formatSseEvent({ id, event, data }: SseFrame): string {
  return `id: ${id}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

export const SSE_PING = ': ping\n\n';

/**
 * A Server-Sent Events response on a hijacked reply: headers (request id and rate-limit headers
 * included), events, `: ping` heartbeats while idle, and exactly one terminal event.
 */
class SseStream {
  private heartbeat: NodeJS.Timeout | undefined;
  private ended = false;

  constructor(
    private readonly reply: FastifyReply,
    private readonly heartbeatMs: number,
    private readonly mapEvent: ReplyEventMapper | undefined,
  ) {}

  get isOpen(): boolean {
    return !this.ended && !this.reply.raw.destroyed;
  }

  open(): void {
    const headers = {
      ...this.reply.getHeaders(),
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      // Tells nginx-style proxies not to buffer the stream.
      'x-accel-buffering': 'no',
    };
    this.reply.hijack();
    this.reply.raw.writeHead(200, headers as Record<string, string>);
    this.reply.raw.flushHeaders();
    this.armHeartbeat();
  }

  /** Sends one of a reply's events with its id; the terminal one (done or error) ends the response. */
  send(event: ReplyEvent): void {
    this.write(formatSseEvent(this.mapEvent ? this.mapEvent(event) : event));
    if (isTerminal(event)) this.close();
  }

  close(): void {
    if (this.ended) return;
    this.ended = true;
    clearTimeout(this.heartbeat);
    if (!this.reply.raw.destroyed) this.reply.raw.end();
  }

  private write(chunk: string): void {
    if (!this.isOpen) return;
    this.reply.raw.write(chunk);
    this.armHeartbeat();
  }

  // Restarted on every write (one timer, refreshed), so a ping goes out only after heartbeatMs of silence.
  private armHeartbeat(): void {
    if (this.heartbeat) {
      this.heartbeat.refresh();
      return;
    }
    this.heartbeat = setTimeout(() => {
      if (!this.isOpen) return;
      this.reply.raw.write(SSE_PING);
      this.heartbeat?.refresh();
    }, this.heartbeatMs);
  }
}

/** Aborts when the client's connection closes (a client that left, or a response that has ended). */
export function abortOnClose(reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  reply.raw.on('close', () => controller.abort());
  return controller.signal;
}

/**
 * Relays a reply's events as Server-Sent Events: the one relay of every stream (a chat turn, a repeat's
 * replay, a reconnection). A replay opens at once. A live turn opens with its first token, so a provider that
 * fails before answering still gets its proper status (502/504) as a JSON response; the turn runs to its end
 * even when the client leaves (its reply is stored and charged all the same).
 */
export async function relayReplyStream(
  reply: FastifyReply,
  stream: ReplyStream,
  options: { heartbeatMs: number; log: FastifyBaseLogger; mapEvent?: ReplyEventMapper | undefined },
): Promise<FastifyReply> {
  const sse = new SseStream(reply, options.heartbeatMs, options.mapEvent);
  if (stream.kind === 'replay') {
    sse.open();
    for await (const event of stream.events) sse.send(event);
    // The message was deleted while it was followed, or the client left: end without a terminal event.
    sse.close();
    return reply;
  }

  let clientGone = false;
  const onClose = () => {
    if (!reply.raw.writableFinished) clientGone = true;
  };
  reply.raw.on('close', onClose);
  let held: ReplyEvent | undefined;
  const send = (event: ReplyEvent) => {
    if (!reply.sent) {
      // The terminal event of a client that left is not sent: the stream just ends, below.
      if (clientGone) return;
      sse.open();
    }
    if (held) sse.send(held);
    held = undefined;
    sse.send(event);
  };
  try {
    for await (const event of stream.events) {
      if (!reply.sent && event.event === 'start') held = event;
      // Nothing was generated: the failure is answered as JSON, with its status.
      else if (!reply.sent && event.event === 'error') throw appErrorFromEnvelope(event.data);
      else if (!clientGone) send(event);
    }
  } catch (error) {
    // The reply could not be stored (the database went away). Before `start` the error handler answers;
    // after it, end the stream with one error event, or its heartbeat would keep it open forever.
    if (!reply.sent) throw error;
    options.log.error({ err: error }, 'unexpected error');
    sse.send(stream.fail(toAppError(error as Error).toEnvelope()));
    return reply;
  } finally {
    reply.raw.off('close', onClose);
  }

  const outcome = stream.outcome();
  if (clientGone) {
    options.log.info(
      { messageId: stream.messageId, outcome },
      'client left mid-stream; the reply was generated and stored all the same',
    );
    // Left before the first token: nothing was sent, so take over the reply to end it quietly.
    if (!reply.sent) reply.hijack();
    sse.close();
    return reply;
  }
  options.log.info({ statusCode: 200, messageId: stream.messageId, outcome }, 'stream completed');
  return reply;
}
