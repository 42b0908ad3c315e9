import { describe, expect, it } from 'vitest';
import { chunkPairs, chunkText, joinSentences, splitSentences } from './chunk-text.ts';
import { extractSearchTerms } from './search-terms.ts';

const sentence = (n: number) => `Sentence number ${n} says something about the shop and its many products.`;

describe('chunkText', () => {
  it('keeps a short text whole, under no heading', () => {
    expect(chunkText('We open at nine. We close at six.')).toEqual([
      { heading: null, content: 'We open at nine. We close at six.' },
    ]);
  });

  it('starts a new chunk at every Markdown heading, and every chunk keeps its heading', () => {
    const chunks = chunkText('Intro line.\n\n# Hours\nOpen at nine.\n\n## Delivery ##\nFree in town.');

    expect(chunks).toEqual([
      { heading: null, content: 'Intro line.' },
      { heading: 'Hours', content: 'Open at nine.' },
      { heading: 'Delivery', content: 'Free in town.' },
    ]);
  });

  it('cuts long sections at sentence ends within the size, repeating the last sentence of the chunk before', () => {
    const text = `# Catalogue\n${Array.from({ length: 40 }, (_, n) => sentence(n)).join(' ')}`;

    const chunks = chunkText(text, { maxCharacters: 800, overlapCharacters: 100 });

    expect(chunks.length).toBeGreaterThan(3);
    for (const chunk of chunks) {
      expect(chunk.heading).toBe('Catalogue');
      expect(chunk.content.length).toBeLessThanOrEqual(800);
      expect(chunk.content).toMatch(/^Sentence number \d+ .*products\.$/);
    }
    for (let index = 1; index < chunks.length; index++) {
      const previousLast = chunks[index - 1]?.content.split(/(?<=\.) /).at(-1);
      expect(chunks[index]?.content.startsWith(previousLast ?? '-')).toBe(true);
    }
    const all = chunks.map((chunk) => chunk.content).join(' ');
    for (let n = 0; n < 40; n++) expect(all).toContain(sentence(n));
  });

  it('cuts a sentence longer than a chunk at word boundaries', () => {
    const long = Array.from({ length: 300 }, () => 'word').join(' ');

    const chunks = chunkText(long, { maxCharacters: 100, overlapCharacters: 20 });

    expect(chunks.length).toBeGreaterThan(10);
    for (const chunk of chunks) {
      expect(chunk.content.length).toBeLessThanOrEqual(100);
      expect(chunk.content).toMatch(/^word( word)*$/);
    }
  });

  it('keeps the line breaks of a list, a table and fenced code, and the prose around them as sentences', () => {
    const text = [
      'Our plans are below.',
      'Pick one.',
      '',
      '| Plan | Price |',
      '| ---- | ----- |',
      '| Free | 0 |',
      '| Pro  | 9 |',
      'Prices are monthly.',
      '- Cancel any time',
      '  (online or by mail)',
      '- Refunds within 14 days',
      '',
      '```sh',
      'curl -s https://example.test',
      '',
      'echo done',
      '```',
    ].join('\n');

    const units = splitSentences(text);

    expect(units).toEqual([
      'Our plans are below.',
      'Pick one.',
      '| Plan | Price |\n| ---- | ----- |\n| Free | 0 |\n| Pro  | 9 |',
      'Prices are monthly.',
      '- Cancel any time\n  (online or by mail)\n- Refunds within 14 days',
      '```sh\ncurl -s https://example.test\n\necho done\n```',
    ]);
    expect(joinSentences(units.slice(0, 4))).toBe(
      'Our plans are below. Pick one.\n\n| Plan | Price |\n| ---- | ----- |\n| Free | 0 |\n| Pro  | 9 |\n\nPrices are monthly.',
    );
    expect(chunkText(text)).toEqual([{ heading: null, content: joinSentences(units) }]);
    // A chunk's text splits back into the same units.
    expect(splitSentences(joinSentences(units))).toEqual(units);
  });

  it('cuts a table longer than a chunk between its rows', () => {
    const rows = Array.from({ length: 30 }, (_, n) => `| Product ${n} | ${n * 3} euros |`);

    const chunks = chunkText(['| Product | Price |', ...rows].join('\n'), {
      maxCharacters: 120,
      overlapCharacters: 0,
    });

    expect(chunks.length).toBeGreaterThan(3);
    for (const chunk of chunks) {
      expect(chunk.content.length).toBeLessThanOrEqual(120);
      for (const line of chunk.content.split('\n')) expect(line).toMatch(/^\| .* \|$/);
    }
  });

  it('makes nothing of whitespace and headings without text', () => {
    expect(chunkText('   \n\n# Empty\n\n')).toEqual([]);
  });
});

describe('chunkPairs', () => {
  it('makes one chunk per question and answer', () => {
    expect(chunkPairs([{ question: 'Parking?', answer: 'Behind the shop.' }])).toEqual([
      { heading: 'Parking?', content: 'Q: Parking?\nA: Behind the shop.' },
    ]);
  });
});

describe('extractSearchTerms', () => {
  it('keeps only distinct words, without stopwords or any query syntax', () => {
    expect(extractSearchTerms('What are your "opening" hours* OR NEAR(hours) -x:y?')).toEqual([
      'opening',
      'hours',
      'near',
      'x',
      'y',
    ]);
  });
});
