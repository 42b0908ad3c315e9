import { describe, expect, it } from 'vitest';
import { createLocalInvalidationBus } from './invalidation-bus.ts';
import { createTtlCache } from './ttl-cache.ts';

function setup(maxEntries = 10) {
  let now = 1_000;
  const bus = createLocalInvalidationBus();
  const cache = createTtlCache<{ id: string; name: string }>({
    clock: { now: () => new Date(now) },
    ttlMs: 100,
    maxEntries,
    bus,
    topic: 'chatbot',
    idOf: (value) => value.id,
  });
  const advance = (ms: number) => {
    now += ms;
  };
  return { bus, cache, advance };
}

describe('createTtlCache', () => {
  it('answers a stored value until it expires', () => {
    const { cache, advance } = setup();
    cache.set('a', { id: 'a', name: 'first' }, cache.generation());
    expect(cache.get('a')?.name).toBe('first');
    advance(100);
    expect(cache.get('a')).toBeUndefined();
  });

  it('drops a value as soon as the bus announces a change to it', async () => {
    const { bus, cache } = setup();
    cache.set('a', { id: 'a', name: 'first' }, cache.generation());
    cache.set('b', { id: 'b', name: 'other' }, cache.generation());
    await bus.publish('chatbot', 'a');
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('b')?.name).toBe('other');
  });

  it('ignores other topics', async () => {
    const { bus, cache } = setup();
    cache.set('a', { id: 'a', name: 'first' }, cache.generation());
    await bus.publish('api-key', 'a');
    expect(cache.get('a')?.name).toBe('first');
  });

  it('refuses a value read before an invalidation arrived, which may be stale', async () => {
    const { bus, cache } = setup();
    const readSince = cache.generation();
    await bus.publish('chatbot', 'a');
    cache.set('a', { id: 'a', name: 'stale' }, readSince);
    expect(cache.get('a')).toBeUndefined();
  });

  it('keeps at most maxEntries, dropping the oldest', () => {
    const { cache } = setup(2);
    for (const id of ['a', 'b', 'c']) cache.set(id, { id, name: id }, cache.generation());
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('c')?.name).toBe('c');
  });
});
