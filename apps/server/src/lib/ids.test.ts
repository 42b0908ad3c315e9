import { decodeTime, isValid } from 'ulid';
import { describe, expect, it } from 'vitest';
import { createIdGenerator } from './ids.ts';

describe('createIdGenerator', () => {
  it('makes lower-case ULIDs that are unique and sort in the order they were made, past a pool refill', () => {
    const next = createIdGenerator();
    const before = Date.now();
    // 5,000 ids draw 80,000 random characters: the 4 KB pool is refilled many times.
    const ids = Array.from({ length: 5_000 }, next);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) {
      expect(id).toMatch(/^[0-9a-hjkmnp-tv-z]{26}$/);
      expect(isValid(id.toUpperCase())).toBe(true);
    }
    expect([...ids].sort()).toEqual(ids);
    expect(decodeTime((ids[0] as string).toUpperCase())).toBeGreaterThanOrEqual(before);
  });

  it('draws the random part from the system: two generators do not repeat each other', () => {
    const first = createIdGenerator();
    const second = createIdGenerator();
    const randomPart = (id: string) => id.slice(10);
    const fromFirst = new Set(Array.from({ length: 300 }, () => randomPart(first())));
    const fromSecond = Array.from({ length: 300 }, () => randomPart(second()));
    expect(fromSecond.some((part) => fromFirst.has(part))).toBe(false);
  });
});
