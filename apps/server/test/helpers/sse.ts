/** One parsed Server-Sent Event, or a comment line such as `: ping`. */
export type ParsedSseEvent = { event: string; data: unknown; raw: string } | { comment: string; raw: string };

/** Parses a whole text/event-stream body as a client would. */
export function parseSse(text: string): ParsedSseEvent[] {
  return text
    .split('\n\n')
    .filter((block) => block.length > 0)
    .map((block) => {
      if (block.startsWith(':')) return { comment: block.slice(1).trim(), raw: block };
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event: ')) event = line.slice('event: '.length);
        else if (line.startsWith('data: ')) data.push(line.slice('data: '.length));
      }
      return { event, data: JSON.parse(data.join('\n')), raw: block };
    });
}

export function eventsOnly(events: ParsedSseEvent[]) {
  return events.filter((event): event is Extract<ParsedSseEvent, { event: string }> => 'event' in event);
}
