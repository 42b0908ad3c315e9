import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createReplyEventSequence, joinDeltas, type ReplyEvent } from './reply-events.ts';
import { createMemoryReplyJournal, createRedisReplyJournal, type ReplyJournal } from './reply-journal.ts';

const redisUrl = process.env.TEST_REDIS_URL;

/** Reads a journal to its end, answering the events and how the reading ended. */
async function readAll(journal: ReplyJournal, messageId: string, idleMs = 2_000, signal?: AbortSignal) {
  const events: ReplyEvent[] = [];
  const reading = journal.follow(messageId, { signal: signal ?? new AbortController().signal, idleMs });
  for (;;) {
    const next = await reading.next();
    if (next.done) return { events, outcome: next.value };
    events.push(next.value);
  }
}

function sampleReply(messageId: string) {
  const sequence = createReplyEventSequence('conversation-1', messageId);
  const start = sequence.start();
  const deltas = ['Hello', ', ', 'world'].map((text) => sequence.delta(text));
  const done = sequence.done({
    response: 'Hello, world',
    conversationId: 'conversation-1',
    messageId,
    usage: { inputTokens: 3, outputTokens: 3, credits: 1 },
  });
  return { start, deltas, done };
}

const backings: [string, () => { writer: ReplyJournal; reader: ReplyJournal }][] = [
  [
    'memory',
    () => {
      const journal = createMemoryReplyJournal();
      return { writer: journal, reader: journal };
    },
  ],
];

const clients: Redis[] = [];
const prefix = `test-${Math.random().toString(36).slice(2)}:`;
if (redisUrl) {
  // Two instances: each its own Redis connection, as two processes have.
  backings.push([
    'Redis Streams, two instances',
    () => {
      const first = new Redis(redisUrl);
      const second = new Redis(redisUrl);
      clients.push(first, second);
      return {
        writer: createRedisReplyJournal({ client: first, prefix }),
        reader: createRedisReplyJournal({ client: second, prefix }),
      };
    },
  ]);
}

afterAll(async () => {
  if (redisUrl) {
    const cleaner = new Redis(redisUrl);
    const keys = await cleaner.keys(`${prefix}*`);
    if (keys.length > 0) await cleaner.del(...keys);
    cleaner.disconnect();
  }
  for (const client of clients) client.disconnect();
});

describe.each(backings)('reply journal: %s', (_name, make) => {
  it('gives a reader that joins late every event so far, then the live rest, then the end', async () => {
    const { writer, reader } = make();
    const { start, deltas, done } = sampleReply('message-late');
    const journal = writer.open('message-late');
    journal.append(start);
    journal.append(deltas[0] as ReplyEvent);
    await journal.flush();

    const reading = readAll(reader, 'message-late');
    // Appended after the reader joined: only the journal carries them to it.
    await new Promise((resolve) => setTimeout(resolve, 50));
    journal.append(deltas[1] as ReplyEvent);
    journal.append(deltas[2] as ReplyEvent);
    journal.append(done);
    await journal.flush();

    const { events, outcome } = await reading;
    expect(outcome).toBe('ended');
    // A journal may keep a burst of deltas as one: the same text to the same positions.
    expect(joinDeltas(events)).toEqual(joinDeltas([start, ...deltas, done]));
    expect(events[0]).toEqual(start);
    expect(events.at(-1)).toEqual(done);
  });

  it('answers missing for a reply it holds no journal of', async () => {
    const { reader } = make();
    expect(await readAll(reader, 'message-unknown')).toEqual({ events: [], outcome: 'missing' });
  });

  it('answers idle when nothing comes for a while, so the reader can check the stored message', async () => {
    const { writer, reader } = make();
    const { start } = sampleReply('message-idle');
    const journal = writer.open('message-idle');
    journal.append(start);
    await journal.flush();

    const { events, outcome } = await readAll(reader, 'message-idle', 100);
    expect(outcome).toBe('idle');
    expect(events).toEqual([start]);
  });

  it('ends a reading at once when its reader leaves', async () => {
    const { writer, reader } = make();
    const { start } = sampleReply('message-left');
    const journal = writer.open('message-left');
    journal.append(start);
    await journal.flush();

    const leaving = new AbortController();
    const reading = readAll(reader, 'message-left', 10_000, leaving.signal);
    await new Promise((resolve) => setTimeout(resolve, 50));
    leaving.abort();
    const { events, outcome } = await reading;
    expect(outcome).toBe('aborted');
    expect(events).toEqual([start]);
  });
});

describe.skipIf(!redisUrl)(
  `Redis reply journal retention${redisUrl ? '' : ' (skipped: TEST_REDIS_URL not set)'}`,
  () => {
    it('keeps an active journal an hour and an ended one a minute', async () => {
      const client = new Redis(redisUrl ?? '');
      clients.push(client);
      const journal = createRedisReplyJournal({ client, prefix });
      const { start, deltas, done } = sampleReply('message-ttl');
      const writer = journal.open('message-ttl');
      writer.append(start);
      await writer.flush();
      const activeTtl = await client.ttl(`${prefix}reply:message-ttl`);
      expect(activeTtl).toBeGreaterThan(3_000);
      expect(activeTtl).toBeLessThanOrEqual(3_600);

      for (const delta of deltas) writer.append(delta);
      writer.append(done);
      await writer.flush();
      const endedTtl = await client.ttl(`${prefix}reply:message-ttl`);
      expect(endedTtl).toBeGreaterThan(0);
      expect(endedTtl).toBeLessThanOrEqual(60);
      // The three deltas appended together are one entry: start, the deltas, done.
      expect(await client.xlen(`${prefix}reply:message-ttl`)).toBe(3);
    });
  },
);
