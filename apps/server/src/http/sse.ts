import type { ChatStreamEventWithId } from '@pollybot/contracts';
import type { FastifyReply } from 'fastify';
import type { ReplyEvent } from '../features/chat/reply-events.ts';

/**
 * Frames one Server-Sent Event with its id; data is JSON on a single line, as the contract shows. Only an
 * event of the contract's `chatStreamEventSchema` can be written (a ReplyEvent is one).
 */
export function formatSseEvent({ id, event, data }: ChatStreamEventWithId): string {
  return `id: ${id}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

export const SSE_PING = ': ping\n\n';

/**
 * A Server-Sent Events response on a hijacked reply: headers (request id and rate-limit headers
 * included), events, `: ping` heartbeats while idle, and exactly one terminal event.
 */
export class SseStream {
  private heartbeat: NodeJS.Timeout | undefined;
  private ended = false;

  constructor(
    private readonly reply: FastifyReply,
    private readonly heartbeatMs: number,
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
    this.write(formatSseEvent(event));
    if (event.event === 'done' || event.event === 'error') this.close();
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
