import { createParser } from 'eventsource-parser';

/** One event of a streamed reply as read off the wire: its name, its JSON data, and its id. */
export interface StreamEvent {
  event: string;
  data: unknown;
  id: string | undefined;
}

/** Reads a fetch response's text/event-stream body, calling `onEvent` for each event with JSON data. */
export async function readEvents(body: ReadableStream<Uint8Array>, onEvent: (event: StreamEvent) => void) {
  const parser = createParser({
    onEvent: ({ event, data, id }) => {
      let json: unknown;
      try {
        json = JSON.parse(data);
      } catch {
        return; // Data that is not JSON is no event of the widget API.
      }
      onEvent({ event: event ?? 'message', data: json, id });
    },
  });
  const decoder = new TextDecoder();
  const reader = body.getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return parser.feed(decoder.decode());
    parser.feed(decoder.decode(value, { stream: true }));
  }
}
