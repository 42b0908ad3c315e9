import type { ChatStreamEvent } from './types.ts';

/** One Server-Sent Event as framed on the wire: its name (default `message`) and its data lines joined. */
export interface SseMessage {
  event: string;
  data: string;
}

/**
 * An incremental Server-Sent Events parser (the WHATWG framing): feed it text as it arrives,
 * in chunks cut anywhere, and it calls `onMessage` for each complete event. Comment lines
 * (`: ping`) are skipped; `id` and `retry` are ignored, as a chat reply has no use for them.
 */
export class SseParser {
  private buffer = '';
  private eventName = '';
  private dataLines: string[] = [];
  private readonly onMessage: (message: SseMessage) => void;

  constructor(onMessage: (message: SseMessage) => void) {
    this.onMessage = onMessage;
  }

  /** Adds a chunk of decoded text. */
  push(chunk: string): void {
    this.buffer += chunk;
    this.drainLines(false);
  }

  /** The stream ended: a last line without its terminator still counts, an unfinished event does not. */
  end(): void {
    this.drainLines(true);
    if (this.buffer) this.processLine(this.buffer);
    this.buffer = '';
    this.eventName = '';
    this.dataLines = [];
  }

  private drainLines(isEnd: boolean): void {
    let start = 0;
    for (let index = 0; index < this.buffer.length; index++) {
      const character = this.buffer[index];
      if (character !== '\n' && character !== '\r') continue;
      // A CR at the very end may be the first half of CRLF: wait for the next chunk.
      if (character === '\r' && index === this.buffer.length - 1 && !isEnd) break;
      this.processLine(this.buffer.slice(start, index));
      if (character === '\r' && this.buffer[index + 1] === '\n') index++;
      start = index + 1;
    }
    this.buffer = this.buffer.slice(start);
  }

  private processLine(line: string): void {
    if (line === '') {
      this.dispatch();
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') this.eventName = value;
    else if (field === 'data') this.dataLines.push(value);
  }

  private dispatch(): void {
    if (this.dataLines.length > 0) {
      this.onMessage({ event: this.eventName || 'message', data: this.dataLines.join('\n') });
    }
    this.eventName = '';
    this.dataLines = [];
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Reads one SSE message as a chat stream event; undefined for anything the contract does not define. */
export function toChatStreamEvent(message: SseMessage): ChatStreamEvent | undefined {
  let data: unknown;
  try {
    data = JSON.parse(message.data);
  } catch {
    return undefined;
  }
  if (!isRecord(data)) return undefined;
  switch (message.event) {
    case 'start':
      return typeof data.conversationId === 'string' && typeof data.messageId === 'string'
        ? { event: 'start', data: { conversationId: data.conversationId, messageId: data.messageId } }
        : undefined;
    case 'delta':
      return typeof data.content === 'string'
        ? { event: 'delta', data: { content: data.content } }
        : undefined;
    case 'done':
      return data.success === true && isRecord(data.data)
        ? ({ event: 'done', data } as ChatStreamEvent)
        : undefined;
    case 'error':
      return {
        event: 'error',
        data: {
          ...data,
          success: false,
          error: typeof data.error === 'string' ? data.error : 'The reply failed.',
          code: typeof data.code === 'string' ? data.code : 'INTERNAL_ERROR',
        },
      };
    default:
      return undefined;
  }
}
