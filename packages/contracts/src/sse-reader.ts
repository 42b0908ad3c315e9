import { createParser } from 'eventsource-parser';
import {
  type ChatStreamEvent,
  type ChatStreamEventWithId,
  chatStreamEventSchema,
  replyEventIdSchema,
} from './index.ts';

// The one Server-Sent Events reader of the project (the WHATWG framing, by eventsource-parser), shared by
// the dashboard, the tests and the bench. It uses no Node-only API, so the browser build imports it too.

/** One Server-Sent Event as framed on the wire: its name (default `message`), its data lines joined, its id. */
export interface SseMessage {
  event: string;
  data: string;
  id?: string | undefined;
}

export interface SseReader {
  /** Adds a chunk of decoded text, cut anywhere; complete events are reported as they are read. */
  push(chunk: string): void;
  /** The stream ended: an event cut before its blank line is dropped. */
  end(): void;
}

/**
 * An incremental reader: `onMessage` is called for each complete event that has data, `onComment` for each
 * comment line (`: ping`, trimmed). `retry` fields and unknown fields are ignored.
 */
export function createSseReader(
  onMessage: (message: SseMessage) => void,
  onComment?: (comment: string) => void,
): SseReader {
  const parser = createParser({
    onEvent: ({ event, data, id }) => onMessage({ event: event ?? 'message', data, id }),
    ...(onComment ? { onComment: (comment: string) => onComment(comment.trim()) } : {}),
  });
  let endsWithCr = false;
  return {
    push: (chunk) => {
      if (chunk === '') return;
      parser.feed(chunk);
      endsWithCr = chunk.endsWith('\r');
    },
    end: () => {
      // The parser waits after a final CR for a possible LF; at the end it is a whole line break.
      if (endsWithCr) parser.feed('\n');
      parser.reset();
    },
  };
}

/** Reads a whole text/event-stream body: its events and comments in order. */
export function readSseText(text: string): (SseMessage | { comment: string })[] {
  const read: (SseMessage | { comment: string })[] = [];
  const reader = createSseReader(
    (message) => read.push(message),
    (comment) => read.push({ comment }),
  );
  reader.push(text);
  reader.end();
  return read;
}

/** Reads a byte stream's events as they arrive, decoded as UTF-8 (chunks may cut a character or an event). */
export async function* readSseStream(
  body: AsyncIterable<Uint8Array> | ReadableStream<Uint8Array>,
): AsyncGenerator<SseMessage> {
  const decoder = new TextDecoder();
  const pending: SseMessage[] = [];
  const reader = createSseReader((message) => pending.push(message));
  const chunks = Symbol.asyncIterator in body ? body : iterate(body);
  for await (const chunk of chunks) {
    reader.push(decoder.decode(chunk, { stream: true }));
    yield* pending.splice(0);
  }
  reader.push(decoder.decode());
  reader.end();
  yield* pending.splice(0);
}

async function* iterate(body: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = body.getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/** Each stream event's schema without its id, by event name, built once. */
const eventSchemasWithoutId = new Map(
  chatStreamEventSchema.options.map(
    (option) => [option.shape.event.value, option.omit({ id: true })] as const,
  ),
);

/**
 * Reads one SSE message as a chat stream event, its data checked against `chatStreamEventSchema` (the id
 * too, when the message carries one); undefined for anything the contract does not define.
 */
export function toChatStreamEvent(message: SseMessage): ChatStreamEvent | undefined {
  const schema = eventSchemasWithoutId.get(message.event as ChatStreamEvent['event']);
  const json = parseJson(message.data);
  if (!schema || !json.ok) return undefined;
  const checked = schema.safeParse({ event: message.event, data: json.value });
  if (!checked.success) return undefined;
  if (message.id !== undefined && !replyEventIdSchema.safeParse(message.id).success) return undefined;
  return checked.data as ChatStreamEvent;
}

/** Reads one SSE message as a chat stream event with its id, as the server sends it; throws when it is not one. */
export function parseChatStreamEvent(message: SseMessage): ChatStreamEventWithId {
  const json = parseJson(message.data);
  return chatStreamEventSchema.parse({
    id: message.id,
    event: message.event,
    data: json.ok ? json.value : message.data,
  });
}
