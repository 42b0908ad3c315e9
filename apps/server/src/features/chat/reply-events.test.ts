import { describe, expect, it } from 'vitest';
import { createReplyEventSequence, joinDeltas, type ReplyEvent, sliceReplyEvent } from './reply-events.ts';

function reply(parts: string[]) {
  const sequence = createReplyEventSequence('conversation-1', 'message-1');
  const start = sequence.start();
  const deltas = parts.map((part) => sequence.delta(part));
  const done = sequence.error({ success: false, error: 'Stopped', code: 'AI_PROVIDER_ERROR' });
  return { start, deltas, done };
}

describe('joinDeltas', () => {
  it('joins each run of deltas into one with their text and the last id, and keeps the other events', () => {
    const { start, deltas, done } = reply(['Hel', 'lo', ', ', 'world']);

    const joined = joinDeltas([start, ...deltas, done]);

    expect(joined).toEqual([start, { id: '12', event: 'delta', data: { content: 'Hello, world' } }, done]);
  });

  it('leaves a lone delta, and no events, as they are', () => {
    const { deltas } = reply(['Hi']);
    expect(joinDeltas(deltas)).toEqual(deltas);
    expect(joinDeltas([])).toEqual([]);
  });

  it('gives a client that resumes in the middle of a joined delta exactly the text it has not seen', () => {
    const { deltas } = reply(['Hel', 'lo', ', ', 'world']);
    const [joined] = joinDeltas(deltas) as [ReplyEvent];

    // The client saw the first two deltas (id 5), then lost the stream.
    expect(sliceReplyEvent(joined, 5)).toEqual({ id: '12', event: 'delta', data: { content: ', world' } });
    expect(sliceReplyEvent(joined, 12)).toBeUndefined();
  });
});
