import type { KnowledgePair } from '@pollybot/contracts';

/** A piece of a source, searched and quoted on its own; it keeps the heading it sits under. */
export type TextChunk = { heading: string | null; content: string };

export type ChunkOptions = { maxCharacters: number; overlapCharacters: number };

const DEFAULT_CHUNK_OPTIONS: ChunkOptions = { maxCharacters: 800, overlapCharacters: 100 };

const HEADING = /^#{1,6}\s+(.+?)\s*#*\s*$/;

/** Splits Markdown into sections, each under its nearest heading (null before the first). */
function splitSections(text: string): { heading: string | null; body: string }[] {
  const sections: { heading: string | null; lines: string[] }[] = [{ heading: null, lines: [] }];
  for (const line of text.replace(/\r\n?/g, '\n').split('\n')) {
    const match = HEADING.exec(line);
    if (match) sections.push({ heading: match[1] ?? null, lines: [] });
    else sections.at(-1)?.lines.push(line);
  }
  return sections
    .map((section) => ({ heading: section.heading, body: section.lines.join('\n').trim() }))
    .filter((section) => section.body.length > 0);
}

// A list item, a table row, or a code fence: lines whose breaks carry meaning, kept as they are.
const STRUCTURED_LINE = /^\s*(\||[-*+]\s|\d{1,3}[.)]\s|```)/;
const FENCE = /^\s*```/;

/** Whether a unit of text is a block (a list, a table, code) rather than a sentence of prose. */
function isBlock(unit: string): boolean {
  return STRUCTURED_LINE.test(unit);
}

/** Units of text joined back: sentences of prose by a space, a block by a blank line either side. */
export function joinSentences(units: string[]): string {
  let text = '';
  units.forEach((unit, index) => {
    const previous = units[index - 1];
    if (previous !== undefined) text += isBlock(previous) || isBlock(unit) ? '\n\n' : ' ';
    text += unit;
  });
  return text;
}

const proseSentences = (prose: string): string[] =>
  prose
    .split(/(?<=[.!?])\s+(?=\S)/)
    .map((sentence) => sentence.replace(/\s+/g, ' ').trim())
    .filter((sentence) => sentence.length > 0);

/**
 * Sentences (ending in . ! ? or a blank line), each one trimmed, with its whitespace collapsed; a list, a
 * table or a fenced code block is one unit that keeps its line breaks (so a reply quoting it keeps them too).
 */
export function splitSentences(text: string): string[] {
  const units: string[] = [];
  let prose: string[] = [];
  let block: string[] = [];
  let isInFence = false;
  const flush = () => {
    units.push(...proseSentences(prose.join(' ')));
    if (block.length > 0) units.push(block.join('\n'));
    prose = [];
    block = [];
  };
  for (const line of text.replace(/\r\n?/g, '\n').split('\n')) {
    const trimmed = line.trimEnd();
    if (isInFence) {
      block.push(trimmed);
      if (FENCE.test(line)) {
        isInFence = false;
        flush();
      }
    } else if (trimmed.trim() === '') {
      flush();
    } else if (STRUCTURED_LINE.test(line) || (block.length > 0 && /^\s+\S/.test(line))) {
      // A structured line, or the indented continuation of one.
      if (prose.length > 0) flush();
      block.push(trimmed);
      isInFence = FENCE.test(line);
    } else {
      if (block.length > 0) flush();
      prose.push(trimmed);
    }
  }
  flush();
  return units;
}

/** A sentence longer than a chunk is cut at word boundaries; a block, between its lines where it can. */
function splitLongSentence(sentence: string, max: number): string[] {
  if (sentence.length <= max) return [sentence];
  if (isBlock(sentence)) {
    const pieces: string[] = [];
    for (const line of sentence.split('\n').flatMap((one) => splitLongSentence(one.trim(), max))) {
      const last = pieces.at(-1);
      if (last !== undefined && last.length + 1 + line.length <= max)
        pieces[pieces.length - 1] = `${last}\n${line}`;
      else pieces.push(line);
    }
    return pieces;
  }
  const pieces: string[] = [];
  let rest = sentence;
  while (rest.length > max) {
    const space = rest.lastIndexOf(' ', max);
    const cut = space > max / 2 ? space : max;
    pieces.push(rest.slice(0, cut).trim());
    rest = rest.slice(cut).trim();
  }
  if (rest) pieces.push(rest);
  return pieces;
}

/** Packs sentences into chunks of at most `max` characters; each chunk repeats the last sentences of the one before (up to `overlap` characters). */
function packSentences(sentences: string[], options: ChunkOptions): string[] {
  const units = sentences.flatMap((sentence) => splitLongSentence(sentence, options.maxCharacters));
  const chunks: string[] = [];
  let current: string[] = [];
  let fresh = 0; // sentences in `current` that no earlier chunk holds
  for (const unit of units) {
    if (current.length > 0 && joinSentences([...current, unit]).length > options.maxCharacters) {
      chunks.push(joinSentences(current));
      let carried: string[] = [];
      for (let index = current.length - 1; index >= 0; index--) {
        const next = [current[index] ?? '', ...carried];
        if (joinSentences(next).length + 1 > options.overlapCharacters) break;
        carried = next;
      }
      // The overlap must leave room for the new sentence.
      while (carried.length > 0 && joinSentences([...carried, unit]).length > options.maxCharacters) {
        carried.shift();
      }
      current = carried;
      fresh = 0;
    }
    current.push(unit);
    fresh++;
  }
  if (fresh > 0) chunks.push(joinSentences(current));
  return chunks;
}

/** Cuts Markdown or plain text into overlapping chunks that end at sentence ends and keep their heading. */
export function chunkText(text: string, options: ChunkOptions = DEFAULT_CHUNK_OPTIONS): TextChunk[] {
  return splitSections(text).flatMap((section) =>
    packSentences(splitSentences(section.body), options).map((content) => ({
      heading: section.heading,
      content,
    })),
  );
}

/** One chunk per question and answer, so a match returns the whole pair. */
export function chunkPairs(pairs: KnowledgePair[]): TextChunk[] {
  return pairs.map((pair) => ({ heading: pair.question, content: `Q: ${pair.question}\nA: ${pair.answer}` }));
}
