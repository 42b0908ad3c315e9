import type { FastifyReply } from 'fastify';

/** Frames one Server-Sent Event; data is JSON on a single line, as the contract shows. */
export function formatSseEvent(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
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

  send(event: 'start' | 'delta', data: unknown): void {
    this.write(formatSseEvent(event, data));
  }

  /** Sends the terminal event (done or error) and ends the response; later calls do nothing. */
  finish(event: 'done' | 'error', data: unknown): void {
    this.write(formatSseEvent(event, data));
    this.close();
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

  // Restarted on every write, so a ping goes out only after heartbeatMs of silence.
  private armHeartbeat(): void {
    clearTimeout(this.heartbeat);
    this.heartbeat = setTimeout(() => {
      if (!this.isOpen) return;
      this.reply.raw.write(SSE_PING);
      this.armHeartbeat();
    }, this.heartbeatMs);
  }
}
