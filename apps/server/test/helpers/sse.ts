import type { ChatStreamEventWithId } from '@pollybot/contracts';
import {
  parseChatStreamEvent,
  readSseStream,
  readSseText,
  type SseMessage,
} from '@pollybot/contracts/sse-reader';

// Streams are read with the project's one SSE reader, and each event is checked against the contract's
// `chatStreamEventSchema` as it is read: an event the contract does not define fails the test.

/** One event of a reply's stream (checked against the contract), or a comment line such as `: ping`. */
export type ParsedSseEvent = ChatStreamEventWithId | { comment: string };

export type SseEvent = Extract<ParsedSseEvent, { event: string }>;

/** Parses a whole text/event-stream body as a client would; an event cut before its end is left out. */
export function parseSse(text: string): ParsedSseEvent[] {
  return readSseText(text).map((read) => ('comment' in read ? read : parseChatStreamEvent(read)));
}

export function eventsOnly(events: ParsedSseEvent[]): SseEvent[] {
  return events.filter((event): event is SseEvent => 'event' in event);
}

/**
 * Reads a stream's events as they arrive until `stop` answers true for one (that one included), then
 * stops reading and closes the connection, as a client that drops it there.
 */
export function readSseUntil(
  response: Response,
  stop: (event: SseEvent) => boolean,
  controller: AbortController,
): Promise<SseEvent[]> {
  return readEventsUntil(response, parseChatStreamEvent, stop, controller);
}

/** `readSseUntil` with each event read by `parse` (a door whose events are its own, such as the widget's). */
export async function readEventsUntil<Event>(
  response: Response,
  parse: (message: SseMessage) => Event,
  stop: (event: Event) => boolean,
  controller: AbortController,
): Promise<Event[]> {
  const events: Event[] = [];
  try {
    for await (const message of readSseStream(response.body as ReadableStream<Uint8Array>)) {
      const event = parse(message);
      events.push(event);
      if (stop(event)) {
        controller.abort();
        // Leaving the loop cancels the body's reader.
        break;
      }
    }
  } catch (error) {
    // Cancelling a body whose request was just aborted may fail; the stream is closed either way.
    if (!controller.signal.aborted) throw error;
  }
  return events;
}

/** The reply text a stream's deltas carry, concatenated. */
export function deltaText(events: SseEvent[]): string {
  return events.flatMap((event) => (event.event === 'delta' ? [event.data.content] : [])).join('');
}
