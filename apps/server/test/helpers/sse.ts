/** One parsed Server-Sent Event (with its id, when it has one), or a comment line such as `: ping`. */
export type ParsedSseEvent =
  | { event: string; data: unknown; id: string | undefined; raw: string }
  | { comment: string; raw: string };

export type SseEvent = Extract<ParsedSseEvent, { event: string }>;

function parseBlock(block: string): ParsedSseEvent {
  if (block.startsWith(':')) return { comment: block.slice(1).trim(), raw: block };
  let event = 'message';
  let id: string | undefined;
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith('event: ')) event = line.slice('event: '.length);
    else if (line.startsWith('data: ')) data.push(line.slice('data: '.length));
    else if (line.startsWith('id: ')) id = line.slice('id: '.length);
  }
  return { event, id, data: JSON.parse(data.join('\n')), raw: block };
}

/** Parses a whole text/event-stream body as a client would. */
export function parseSse(text: string): ParsedSseEvent[] {
  return text
    .split('\n\n')
    .filter((block) => block.length > 0)
    .map(parseBlock);
}

export function eventsOnly(events: ParsedSseEvent[]): SseEvent[] {
  return events.filter((event): event is SseEvent => 'event' in event);
}

/**
 * Reads a stream's events as they arrive until `stop` answers true for one (that one included), then
 * stops reading and closes the connection, as a client that drops it there.
 */
export async function readSseUntil(
  response: Response,
  stop: (event: SseEvent) => boolean,
  controller: AbortController,
): Promise<SseEvent[]> {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  const events: SseEvent[] = [];
  let buffered = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return events;
    buffered += decoder.decode(value, { stream: true });
    let end = buffered.indexOf('\n\n');
    while (end !== -1) {
      const block = buffered.slice(0, end);
      buffered = buffered.slice(end + 2);
      const parsed = parseBlock(block);
      if ('event' in parsed) {
        events.push(parsed);
        if (stop(parsed)) {
          controller.abort();
          await reader.cancel().catch(() => {});
          return events;
        }
      }
      end = buffered.indexOf('\n\n');
    }
  }
}

/** The reply text a stream's deltas carry, concatenated. */
export function deltaText(events: SseEvent[]): string {
  return events
    .filter((event) => event.event === 'delta')
    .map((event) => (event.data as { content: string }).content)
    .join('');
}
