import { describe, expect, it } from 'vitest';
import { axisTicks, labelIndexes } from './chart-scale.ts';

describe('chart scales', () => {
  it('gives whole-number ticks from zero that cover the maximum', () => {
    for (const max of [0, 1, 3, 7, 23, 140, 999]) {
      const ticks = axisTicks(max);
      expect(ticks[0]).toBe(0);
      expect(ticks.at(-1)).toBeGreaterThanOrEqual(max);
      for (const tick of ticks) expect(Number.isInteger(tick)).toBe(true);
    }
    expect(axisTicks(0)).toEqual([0, 1]);
    expect(axisTicks(3)).toEqual([0, 1, 2, 3]);
    expect(axisTicks(23)).toEqual([0, 10, 20, 30]);
    expect(axisTicks(140)).toEqual([0, 50, 100, 150]);
  });

  it('shows at most about the wanted number of labels, always the first and the last', () => {
    const shown = labelIndexes(30, 6);
    expect(shown.has(0)).toBe(true);
    expect(shown.has(29)).toBe(true);
    expect(shown.size).toBeLessThanOrEqual(7);
    expect(labelIndexes(0, 5).size).toBe(0);
    expect([...labelIndexes(3, 10)]).toEqual([0, 1, 2]);
  });
});
