import { describe, expect, it } from 'vitest';
import { textColourOn } from './theme.ts';

describe('textColourOn', () => {
  it('writes white on a dark accent and black on a light one', () => {
    expect(textColourOn('#4f46e5')).toBe('#ffffff');
    expect(textColourOn('#000000')).toBe('#ffffff');
    expect(textColourOn('#facc15')).toBe('#000000');
    expect(textColourOn('#ffffff')).toBe('#000000');
  });
});
