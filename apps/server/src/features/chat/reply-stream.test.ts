import { describe, expect, it } from 'vitest';
import { createReplyEventSequence, type ReplyEvent } from './reply-events.ts';
import { streamLiveTurn } from './reply-stream.ts';
import type { ChatTurn, ChatTurnResult } from './send-message.ts';

const reply = {
  response: 'Hello',
  conversationId: 'c1',
  messageId: 'm1',
  usage: { inputTokens: 1, outputTokens: 1, credits: 1 },
};

/** A turn that emits `texts` as deltas, then its own terminal event, and ends as `end` says. */
function fakeTurn(texts: string[], end: (terminal: ChatTurnResult['terminal']) => Promise<ChatTurnResult>) {
  const sequence = createReplyEventSequence('c1', 'm1');
  const turn: ChatTurn = {
    conversationId: 'c1',
    messageId: 'm1',
    creditsHeld: 9,
    start: sequence.start(),
    fail: (envelope) => sequence.error(envelope),
    async run({ onEvent }) {
      for (const text of texts) {
        await Promise.resolve();
        onEvent?.(sequence.delta(text));
      }
      const terminal = sequence.done(reply);
      onEvent?.(terminal);
      return end(terminal);
    },
  };
  return turn;
}

async function readAll(events: AsyncIterable<ReplyEvent>): Promise<ReplyEvent[]> {
  const read: ReplyEvent[] = [];
  for await (const event of events) read.push(event);
  return read;
}

describe('streamLiveTurn', () => {
  it('yields start, every delta, then the terminal event of the turn’s result', async () => {
    let ended = false;
    const turn = fakeTurn(['Hel', 'lo'], async (terminal) => ({
      kind: 'complete',
      reply,
      creditsRemaining: 9,
      terminal,
    }));
    const stream = streamLiveTurn(turn, new AbortController().signal, () => {
      ended = true;
    });

    const events = await readAll(stream.events);

    expect(events.map((event) => `${event.event}:${event.id}`)).toEqual([
      'start:0',
      'delta:3',
      'delta:5',
      'done:5-end',
    ]);
    expect(ended).toBe(true);
    expect(stream.outcome()).toBe('complete');
  });

  it('runs the turn to its end when nobody reads its events (a client that left)', async () => {
    let ended = false;
    const turn = fakeTurn(['a', 'b', 'c'], async (terminal) => ({
      kind: 'complete',
      reply,
      creditsRemaining: 9,
      terminal,
    }));
    const stream = streamLiveTurn(turn, new AbortController().signal, () => {
      ended = true;
    });

    await new Promise((resolve) => setTimeout(resolve, 10));

    expect(ended).toBe(true);
    expect(stream.outcome()).toBe('complete');
  });

  it('throws, after the events that went out, the error of a turn that could not store its reply', async () => {
    const turn = fakeTurn(['a'], async () => {
      throw new Error('the database went away');
    });
    const stream = streamLiveTurn(turn, new AbortController().signal, () => {});
    const read: string[] = [];

    await expect(
      (async () => {
        for await (const event of stream.events) read.push(event.event);
      })(),
    ).rejects.toThrow('the database went away');
    expect(read).toEqual(['start', 'delta']);
    expect(stream.outcome()).toBeUndefined();
  });
});
