import type { Clock } from '../../lib/clock.ts';
import type { InvalidationBus, InvalidationTopic } from './invalidation-bus.ts';

/**
 * A small in-memory cache whose entries expire after `ttlMs` and are dropped as soon as the bus
 * announces a change to the thing they hold. It answers nothing while the bus is unreliable.
 */
export type TtlCache<V> = {
  get: (key: string) => V | undefined;
  /** Call before reading the source; pass the answer to `set`. */
  generation: () => number;
  /** Stores a value read since `generation`, unless an invalidation arrived meanwhile (it may be stale). */
  set: (key: string, value: V, readSince: number) => void;
};

export function createTtlCache<V>(options: {
  clock: Clock;
  ttlMs: number;
  maxEntries: number;
  bus: InvalidationBus;
  topic: InvalidationTopic;
  /** The id the bus names for a cached value (an API key's id, a chatbot's id). */
  idOf: (value: V) => string;
}): TtlCache<V> {
  const entries = new Map<string, { value: V; expiresAt: number }>();
  let generation = 0;
  options.bus.subscribe((topic, id) => {
    if (topic !== options.topic) return;
    generation++;
    for (const [key, entry] of entries) if (options.idOf(entry.value) === id) entries.delete(key);
  });
  options.bus.onReset(() => {
    generation++;
    entries.clear();
  });

  return {
    get(key) {
      if (!options.bus.isReliable()) return undefined;
      const entry = entries.get(key);
      if (!entry) return undefined;
      if (entry.expiresAt <= options.clock.now().getTime()) {
        entries.delete(key);
        return undefined;
      }
      return entry.value;
    },
    generation: () => generation,
    set(key, value, readSince) {
      if (readSince !== generation || !options.bus.isReliable()) return;
      // Maps iterate in insertion order: dropping the first entry drops the oldest.
      if (entries.size >= options.maxEntries) entries.delete(entries.keys().next().value as string);
      entries.set(key, { value, expiresAt: options.clock.now().getTime() + options.ttlMs });
    },
  };
}
