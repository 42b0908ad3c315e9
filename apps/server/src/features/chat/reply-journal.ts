import type { Redis } from 'ioredis';
import { isTerminal, joinDeltas, type ReplyEvent } from './reply-events.ts';

/** How a reading of a reply's journal ended. */
type FollowOutcome =
  /** After the terminal event. */
  | 'ended'
  /** There is no journal of this reply (not started yet, generated without one, or long over). */
  | 'missing'
  /** Nothing new came for `idleMs`: the caller checks the stored message before reading on. */
  | 'idle'
  /** The reader's signal aborted (its client left). */
  | 'aborted';

type ReplyJournalWriter = {
  /** Adds an event; writes happen in order, in the background, several events at a time. */
  append: (event: ReplyEvent) => void;
  /** Resolves when everything appended so far is written (or failed to be). */
  flush: () => Promise<void>;
};

/**
 * Every event of the replies being generated, readable by any instance while they are: a client that lost its
 * stream reconnects anywhere and is sent what it missed, then the rest live. Once a reply has ended its
 * stored message is the record, and the journal goes soon after.
 */
export type ReplyJournal = {
  /** Writes a reply's journal; on a journal that exists already (a sweep ending a reply), appends to it. */
  open: (messageId: string) => ReplyJournalWriter;
  /** The text the journal's deltas carry so far; undefined when there is no journal of this reply. */
  readText: (messageId: string) => Promise<string | undefined>;
  /** The reply's events from its first, then each as it is appended, until its terminal event. */
  follow: (
    messageId: string,
    options: { signal: AbortSignal; idleMs: number },
  ) => AsyncGenerator<ReplyEvent, FollowOutcome>;
};

/** The reply's text as its journal's deltas carry it. */
function textOf(events: ReplyEvent[]): string {
  return events.map((event) => (event.event === 'delta' ? event.data.content : '')).join('');
}

/** One process: the journals live in memory while their replies are generated. */
export function createMemoryReplyJournal(): ReplyJournal {
  type Entry = { events: ReplyEvent[]; wake: Set<() => void> };
  const entries = new Map<string, Entry>();
  return {
    open(messageId) {
      const entry: Entry = entries.get(messageId) ?? { events: [], wake: new Set() };
      entries.set(messageId, entry);
      return {
        append(event) {
          entry.events.push(event);
          // Readers already following hold the entry; a later reader finds the stored message instead.
          if (isTerminal(event) && entries.get(messageId) === entry) entries.delete(messageId);
          for (const wake of entry.wake) wake();
        },
        flush: async () => {},
      };
    },
    async readText(messageId) {
      const entry = entries.get(messageId);
      return entry && textOf(entry.events);
    },
    async *follow(messageId, { signal, idleMs }) {
      const entry = entries.get(messageId);
      if (!entry) return 'missing';
      let index = 0;
      for (;;) {
        while (index < entry.events.length) {
          const event = entry.events[index++] as ReplyEvent;
          yield event;
          if (isTerminal(event)) return 'ended';
        }
        if (signal.aborted) return 'aborted';
        const woken = await new Promise<boolean>((resolve) => {
          const done = (value: boolean) => {
            clearTimeout(timer);
            entry.wake.delete(onWake);
            signal.removeEventListener('abort', onAbort);
            resolve(value);
          };
          const onWake = () => done(true);
          const onAbort = () => done(false);
          const timer = setTimeout(() => done(false), idleMs);
          entry.wake.add(onWake);
          signal.addEventListener('abort', onAbort, { once: true });
        });
        if (!woken) return signal.aborted ? 'aborted' : 'idle';
      }
    },
  };
}

/** How long a journal outlives its reply's end, for readers that are reading it then. */
const ENDED_TTL_SECONDS = 60;
/** A journal whose instance stopped before the end goes after this long (the sweep ends its message before). */
const ACTIVE_TTL_SECONDS = 3600;
/** Entries one blocking read takes at most. */
const READ_BATCH = 500;

/**
 * Several instances: each reply's journal is a Redis Stream (`<prefix>reply:<messageId>`), appended with XADD
 * by the instance that generates the reply and read with blocking XREAD by whichever instance a client
 * reconnects to.
 */
export function createRedisReplyJournal(options: {
  client: Redis;
  prefix: string;
  /** Told when events could not be written; readers then follow the stored message instead. */
  onWriteError?: (error: unknown) => void;
}): ReplyJournal {
  const { client } = options;
  const keyOf = (messageId: string) => `${options.prefix}reply:${messageId}`;
  return {
    open(messageId) {
      const key = keyOf(messageId);
      let pending: ReplyEvent[] = [];
      let queued = false;
      let isFirstWrite = true;
      let writing: Promise<void> = Promise.resolve();
      // Everything appended while one write is under way goes in the next, as one pipeline.
      const write = async () => {
        queued = false;
        // The deltas that came while the last write was under way go as one entry: a reply's journal holds a
        // few entries, however many tokens the provider streamed.
        const batch = joinDeltas(pending);
        pending = [];
        const pipeline = client.pipeline();
        for (const event of batch) pipeline.xadd(key, '*', 'e', JSON.stringify(event));
        if (batch.some(isTerminal)) pipeline.expire(key, ENDED_TTL_SECONDS);
        else if (isFirstWrite) pipeline.expire(key, ACTIVE_TTL_SECONDS);
        isFirstWrite = false;
        const results = await pipeline.exec().catch((error: unknown) => [[error, null] as const]);
        const failure = results?.find(([error]) => error)?.[0];
        if (failure) options.onWriteError?.(failure);
      };
      return {
        append(event) {
          pending.push(event);
          if (queued) return;
          queued = true;
          writing = writing.then(write);
        },
        flush: () => writing,
      };
    },
    async readText(messageId) {
      const entries = await client.xrange(keyOf(messageId), '-', '+');
      if (entries.length === 0) return undefined;
      return textOf(entries.map(([, fields]) => JSON.parse(fields[1] ?? 'null') as ReplyEvent));
    },
    async *follow(messageId, { signal, idleMs }) {
      const key = keyOf(messageId);
      if ((await client.exists(key)) === 0) return 'missing';
      // A blocking read holds its connection, so each reader has its own; closing it ends a read at once.
      const reader = client.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: 1 });
      reader.on('error', () => {});
      const onAbort = () => reader.disconnect();
      signal.addEventListener('abort', onAbort, { once: true });
      try {
        let lastId = '0';
        while (!signal.aborted) {
          const result = await reader.xread('COUNT', READ_BATCH, 'BLOCK', idleMs, 'STREAMS', key, lastId);
          if (!result) return (await client.exists(key)) === 0 ? 'missing' : 'idle';
          for (const [, entries] of result) {
            for (const [id, fields] of entries) {
              lastId = id;
              const event = JSON.parse(fields[1] ?? 'null') as ReplyEvent;
              yield event;
              if (isTerminal(event)) return 'ended';
            }
          }
        }
        return 'aborted';
      } catch (error) {
        if (signal.aborted) return 'aborted';
        throw error;
      } finally {
        signal.removeEventListener('abort', onAbort);
        reader.disconnect();
      }
    },
  };
}
