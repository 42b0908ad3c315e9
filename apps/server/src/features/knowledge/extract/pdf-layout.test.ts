import { describe, expect, it } from 'vitest';
import { collectLines, layoutPages, type PdfLine, type PdfTextRun } from './pdf-layout.ts';

const run = (text: string, y: number, options: { size?: number; hasEOL?: boolean } = {}): PdfTextRun => ({
  text,
  y,
  size: options.size ?? 10,
  hasEOL: options.hasEOL ?? false,
});

const line = (text: string, y: number, size = 10): PdfLine => ({ text, y, size });

describe('collectLines', () => {
  it('ends a line where pdf.js marks it, and where the baseline moves without a mark', () => {
    const lines = collectLines([
      run('Hello', 700),
      run(' ', 700),
      run('world', 700, { hasEOL: true }),
      run('Next line', 688),
      run('Third line', 676),
    ]);

    expect(lines).toEqual([line('Hello world', 700), line('Next line', 688), line('Third line', 676)]);
  });

  it('keeps a superscript on its line and sizes the line by most of its characters', () => {
    const lines = collectLines([
      run('E = mc', 700, { size: 12 }),
      run('2', 704, { size: 7 }),
      run(' holds', 700, { size: 12 }),
    ]);

    expect(lines).toEqual([line('E = mc2 holds', 700, 12)]);
  });

  it('skips empty lines and collapses whitespace', () => {
    expect(
      collectLines([run('  ', 700, { hasEOL: true }), run('a\u00a0\u00a0 b', 690, { hasEOL: true })]),
    ).toEqual([line('a b', 690)]);
  });
});

describe('layoutPages', () => {
  it('starts a paragraph where the line spacing grows, and at each page', () => {
    const { text } = layoutPages([
      [line('One, wrapped', 700), line('onto two lines.', 688), line('Two.', 664), line('Still two.', 652)],
      [line('Three.', 700)],
    ]);

    expect(text).toBe('One, wrapped onto two lines.\n\nTwo. Still two.\n\nThree.');
  });

  it('mends a word hyphenated at the line end, keeping the hyphen before a capital or a digit', () => {
    const { text } = layoutPages([
      [line('An exam-', 700), line('ple of pre-', 688), line('Covid and COVID-', 676), line('19.', 664)],
    ]);

    expect(text).toBe('An example of pre-Covid and COVID-19.');
  });

  it('ranks heading sizes: the largest is #, the next ##, and the first # is the title', () => {
    const body = Array.from({ length: 5 }, (_, index) => line(`Body line ${index}.`, 600 - index * 12));
    const { text, firstHeading } = layoutPages([
      [line('Guide', 760, 20), line('Setup', 720, 14), ...body],
      [line('Usage', 760, 14), line('Run it.', 740)],
    ]);

    expect(text.split('\n\n')).toEqual([
      '# Guide',
      '## Setup',
      'Body line 0. Body line 1. Body line 2. Body line 3. Body line 4.',
      '## Usage',
      'Run it.',
    ]);
    expect(firstHeading).toBe('Guide');
  });

  it('joins a heading wrapped over two lines', () => {
    const body = line('The body text, in the size that most of the characters use.', 700);
    const { text } = layoutPages([[line('A long title that', 760, 20), line('wraps', 736, 20), body]]);

    expect(text).toBe(`# A long title that wraps\n\n${body.text}`);
  });

  it('turns bulleted lines into "- " items, continuing an item on its wrapped lines', () => {
    const { text } = layoutPages([
      [line('• Tea', 700), line('▪ Milk, warm', 688), line('or cold', 676), line('- Cups', 664)],
    ]);

    expect(text).toBe('- Tea\n- Milk, warm or cold\n- Cups');
  });

  it('keeps a line that starts with # from reading as a heading', () => {
    expect(layoutPages([[line('# 5 is the tag', 700)]]).text).toBe('\\# 5 is the tag');
  });
});
