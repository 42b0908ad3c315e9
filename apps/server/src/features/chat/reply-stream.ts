import type { ErrorEnvelope } from '../../errors/app-error.ts';
import { isTerminal, type ReplyEvent, type TerminalReplyEvent } from './reply-events.ts';
import type { ChatTurn, ChatTurnResult } from './send-message.ts';

/** A reply's events as a door relays them (as Server-Sent Events, or in its own wire format). */
export type ReplyStream =
  /** An existing reply, followed from a position: every event can be sent as it comes. */
  | { kind: 'replay'; messageId: string; events: AsyncIterable<ReplyEvent> }
  /**
   * A turn generated for this request. Its `start` is best held back until the next event: when that is an
   * `error`, nothing was generated and the door can answer the failure with its own status (502, 504).
   * `events` throws when the reply could not be stored; after events went out, `fail` gives the `error`
   * event that ends the stream (it is journaled for followers too).
   */
  | {
      kind: 'live';
      messageId: string;
      events: AsyncIterable<ReplyEvent>;
      fail: (envelope: ErrorEnvelope) => TerminalReplyEvent;
      /** How the turn ended, once `events` has: complete, incomplete or failed. */
      outcome: () => ChatTurnResult['kind'] | undefined;
    };

/**
 * Runs a turn now, whoever reads its events: a client that leaves does not stop the generation (the reply is
 * stored and charged as usual); only `signal` (a cancel) does. `onEnd` runs once the turn has ended.
 */
export function streamLiveTurn(
  turn: ChatTurn,
  signal: AbortSignal,
  onEnd: () => void,
): Extract<ReplyStream, { kind: 'live' }> {
  const pending: ReplyEvent[] = [];
  let wake: (() => void) | undefined;
  let ended: { result: ChatTurnResult } | { error: unknown } | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  void turn
    .run({
      signal,
      // The terminal event comes from the result: a reply ended elsewhere (a lease sweep) has no event here.
      onEvent: (event) => {
        if (isTerminal(event)) return;
        pending.push(event);
        notify();
      },
    })
    .then(
      (result) => {
        ended = { result };
      },
      (error: unknown) => {
        ended = { error };
      },
    )
    .finally(() => {
      onEnd();
      notify();
    });

  async function* events(): AsyncGenerator<ReplyEvent> {
    yield turn.start;
    for (;;) {
      const event = pending.shift();
      if (event) {
        yield event;
        continue;
      }
      if (ended) break;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
    if ('error' in ended) throw ended.error;
    yield ended.result.terminal;
  }

  return {
    kind: 'live',
    messageId: turn.messageId,
    events: events(),
    fail: turn.fail,
    outcome: () => (ended && 'result' in ended ? ended.result.kind : undefined),
  };
}
