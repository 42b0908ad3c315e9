import type { ChatReply, ChatStreamEventWithId } from '@pollybot/contracts';
import type { MessageRow } from '../../db/database.ts';
import type { ErrorEnvelope } from '../../errors/app-error.ts';
import { storedFailureOf } from '../../errors/stored-failure.ts';

/**
 * One event of a reply's stream. Its id is the position in the reply it brings the client to: `0` for
 * `start`, the length of the reply's text so far (UTF-16 code units) for a `delta`, and `<length>-end` for
 * the terminal `done` or `error`. A client that reconnects with the last id it saw can be sent exactly the
 * rest, from the journal of a reply being generated or from its stored text once it has ended. The contract's
 * `chatStreamEventSchema` declares them; an error event carries one of the catalog's codes.
 */
export type ReplyEvent =
  | Exclude<ChatStreamEventWithId, { event: 'error' }>
  | { id: string; event: 'error'; data: ErrorEnvelope };

export type TerminalReplyEvent = Extract<ReplyEvent, { event: 'done' | 'error' }>;

/** Where a client stands in a reply: nothing seen yet, after `start`, after N characters, or after the end. */
export type ReplyPosition = number;

/** Before anything: the client has not even seen `start`. */
export const BEFORE_START: ReplyPosition = -1;

const TERMINAL_SUFFIX = '-end';

export function isTerminal(event: ReplyEvent): event is TerminalReplyEvent {
  return event.event === 'done' || event.event === 'error';
}

/** The position an event id stands for; undefined for an id that no reply event carries. */
export function parseReplyPosition(id: string): ReplyPosition | undefined {
  const match = /^(\d{1,9})(-end)?$/.exec(id);
  if (!match) return undefined;
  const offset = Number(match[1]);
  // The terminal event lies after the last character.
  return match[2] ? offset + 0.5 : offset;
}

/** Numbers the events of one reply as it is generated. */
export function createReplyEventSequence(conversationId: string, messageId: string) {
  let offset = 0;
  return {
    start: (): Extract<ReplyEvent, { event: 'start' }> => ({
      id: '0',
      event: 'start',
      data: { conversationId, messageId },
    }),
    delta: (content: string): Extract<ReplyEvent, { event: 'delta' }> => {
      offset += content.length;
      return { id: String(offset), event: 'delta', data: { content } };
    },
    done: (reply: ChatReply): TerminalReplyEvent => ({
      id: `${offset}${TERMINAL_SUFFIX}`,
      event: 'done',
      data: { success: true, data: reply },
    }),
    error: (envelope: ErrorEnvelope): TerminalReplyEvent => ({
      id: `${offset}${TERMINAL_SUFFIX}`,
      event: 'error',
      data: envelope,
    }),
  };
}

/** The part of an event a client at `after` has not seen: the event, the unseen end of a delta, or nothing. */
export function sliceReplyEvent(event: ReplyEvent, after: ReplyPosition): ReplyEvent | undefined {
  const position = parseReplyPosition(event.id) ?? 0;
  if (position <= after) return undefined;
  if (event.event !== 'delta') return event;
  const startsAt = position - event.data.content.length;
  if (after <= startsAt) return event;
  return { ...event, data: { content: event.data.content.slice(after - startsAt) } };
}

/**
 * The same events with each run of consecutive deltas as one delta (their text joined, the last one's id): a
 * client reading them reaches the same positions with the same text, in fewer events.
 */
export function joinDeltas(events: ReplyEvent[]): ReplyEvent[] {
  const joined: ReplyEvent[] = [];
  for (const event of events) {
    const previous = joined.at(-1);
    if (event.event === 'delta' && previous?.event === 'delta') {
      joined[joined.length - 1] = {
        id: event.id,
        event: 'delta',
        data: { content: previous.data.content + event.data.content },
      };
    } else {
      joined.push(event);
    }
  }
  return joined;
}

/** The position a client reaches with this event. */
export function positionAfter(event: ReplyEvent): ReplyPosition {
  return parseReplyPosition(event.id) ?? 0;
}

/** The reply a stored message is, as the `done` event and the JSON body carry it. */
export function toStoredReply(message: MessageRow): ChatReply {
  const reply: ChatReply = {
    response: message.content,
    conversationId: message.conversation_id,
    messageId: message.id,
    usage: {
      inputTokens: message.input_tokens ?? 0,
      outputTokens: message.output_tokens ?? 0,
      credits: message.credits ?? 0,
    },
  };
  if (message.sources) reply.sources = JSON.parse(message.sources) as ChatReply['sources'];
  return reply;
}

/** The failure a failed stored reply ended with, as its `error` event carries it. */
export function toStoredFailure(message: MessageRow): ErrorEnvelope {
  const failure = storedFailureOf(message.error_code);
  return {
    success: false,
    error: failure.message,
    code: failure.code,
    conversationId: message.conversation_id,
    messageId: message.id,
  };
}

/**
 * A reply that has ended, replayed from its stored message all at once for a client at `after`: `start`
 * (unless seen), the unseen text as one delta, and the terminal event.
 */
export function storedReplyEvents(message: MessageRow, after: ReplyPosition): ReplyEvent[] {
  const events: ReplyEvent[] = [];
  const sequence = createReplyEventSequence(message.conversation_id, message.id);
  events.push(sequence.start());
  if (message.content.length > 0) events.push(sequence.delta(message.content));
  events.push(
    message.status === 'failed'
      ? sequence.error(toStoredFailure(message))
      : sequence.done(toStoredReply(message)),
  );
  return events.flatMap((event) => sliceReplyEvent(event, after) ?? []);
}
