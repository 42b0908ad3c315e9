import type { MessageRow } from '../../db/database.ts';
import {
  isTerminal,
  positionAfter,
  type ReplyEvent,
  type ReplyPosition,
  sliceReplyEvent,
  storedReplyEvents,
} from './reply-events.ts';
import type { ReplyJournal } from './reply-journal.ts';

export type ReplayDeps = {
  journal: ReplyJournal;
  /** The reply's message as stored now; undefined once it is deleted. */
  readMessage: () => Promise<MessageRow | undefined>;
  /** How long a journal may stay silent before the stored message is checked again. */
  idleMs: number;
  /** How often the stored text is read while the reply has no journal to follow. */
  pollMs: number;
};

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });

/**
 * A reply's events for a client that has seen everything up to `after`: what it missed, then the rest as it
 * is generated, then the terminal event. A reply that has ended comes from its stored message at once; one
 * being generated from its journal, wherever it runs; one being generated without a readable journal (its
 * instance cannot reach Redis) from its stored text, as it is written.
 */
export async function* replayReply(
  deps: ReplayDeps,
  messageId: string,
  after: ReplyPosition,
  signal: AbortSignal,
): AsyncGenerator<ReplyEvent> {
  let position = after;
  const unseen = function* (events: Iterable<ReplyEvent>) {
    for (const event of events) {
      const part = sliceReplyEvent(event, position);
      if (!part) continue;
      position = positionAfter(part);
      yield part;
    }
  };

  while (!signal.aborted) {
    const message = await deps.readMessage();
    if (!message) return;
    if (message.status !== 'generating') {
      yield* unseen(storedReplyEvents(message, position));
      return;
    }
    const journal = deps.journal.follow(messageId, { signal, idleMs: deps.idleMs });
    let outcome: Awaited<ReturnType<typeof journal.next>>;
    for (;;) {
      outcome = await journal.next();
      if (outcome.done) break;
      yield* unseen([outcome.value]);
      if (isTerminal(outcome.value)) {
        await journal.return('ended');
        return;
      }
    }
    if (outcome.value === 'ended' || outcome.value === 'aborted') return;
    if (outcome.value === 'missing') {
      // The text written so far, without an end: the loop goes on until the message has one.
      yield* unseen(storedReplyEvents(message, position).filter((event) => !isTerminal(event)));
      await sleep(deps.pollMs, signal);
    }
  }
}
