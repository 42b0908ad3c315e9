import { describe, expect, it } from 'vitest';
import { mergeByRank } from './vector-index.ts';

const list = (...ids: string[]) => ids.map((chunkId) => ({ chunkId }));

describe('mergeByRank', () => {
  it('puts first a chunk both lists rank well over one that only one list ranks first', () => {
    const lexical = list('a', 'b', 'c');
    const vector = list('d', 'b', 'a');

    // a: 1/61 + 1/63, b: 2/62, d: 1/61, c: 1/63.
    expect(mergeByRank([lexical, vector], 10)).toEqual(['a', 'b', 'd', 'c']);
  });

  it('returns at most `limit` ids', () => {
    expect(mergeByRank([list('a', 'b', 'c'), list('d', 'e')], 2)).toEqual(['a', 'd']);
    expect(mergeByRank([list('a')], 0)).toEqual([]);
  });

  it('breaks ties by the best rank, then by the earlier list', () => {
    // x and y both rank first and second: equal sums, equal best ranks; x is first in the earlier list.
    expect(mergeByRank([list('x', 'y'), list('y', 'x')], 2)).toEqual(['x', 'y']);
    expect(mergeByRank([list('y', 'x'), list('x', 'y')], 2)).toEqual(['y', 'x']);
    // p and q rank first in one list each: the earlier list wins.
    expect(mergeByRank([list('p'), list('q')], 2)).toEqual(['p', 'q']);
    // Sums of the same reciprocals in another order, equal up to rounding, are still a tie.
    expect(mergeByRank([list('n', 'm'), list('m', 'n'), list('m', 'n'), list('n', 'm')], 2)).toEqual([
      'n',
      'm',
    ]);
  });

  it('counts a chunk once per list, at its first place', () => {
    expect(mergeByRank([list('a', 'a', 'a'), list('b')], 10)).toEqual(['a', 'b']);
    expect(mergeByRank([list('a', 'b', 'a'), list('b', 'c')], 10)[0]).toBe('b');
  });

  it('leans on the better ranks more when k is small', () => {
    const lists = [list('a', 'c', 'b', 'd'), list('e', 'f', 'g', 'b')];

    expect(mergeByRank(lists, 1, 60)).toEqual(['b']);
    expect(mergeByRank(lists, 1, 1)).toEqual(['a']);
  });

  it('merges empty lists to nothing', () => {
    expect(mergeByRank([], 5)).toEqual([]);
    expect(mergeByRank([[], []], 5)).toEqual([]);
  });
});
