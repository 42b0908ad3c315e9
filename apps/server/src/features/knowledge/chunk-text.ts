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

/** Sentences (ending in . ! ? or a blank line), each one trimmed. */
export function splitSentences(text: string): string[] {
  return text
    .split(/\n{2,}|(?<=[.!?])\s+(?=\S)/)
    .map((sentence) => sentence.replace(/\s+/g, ' ').trim())
    .filter((sentence) => sentence.length > 0);
}

/** A sentence longer than a chunk is cut at word boundaries. */
function splitLongSentence(sentence: string, max: number): string[] {
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
  let length = 0;
  let fresh = 0; // sentences in `current` that no earlier chunk holds
  for (const unit of units) {
    if (current.length > 0 && length + 1 + unit.length > options.maxCharacters) {
      chunks.push(current.join(' '));
      const carried: string[] = [];
      let carriedLength = 0;
      for (let index = current.length - 1; index >= 0; index--) {
        const sentence = current[index] ?? '';
        if (carriedLength + sentence.length + 1 > options.overlapCharacters) break;
        carried.unshift(sentence);
        carriedLength += sentence.length + 1;
      }
      // The overlap must leave room for the new sentence.
      while (carried.length > 0 && carriedLength + unit.length > options.maxCharacters) {
        carriedLength -= (carried.shift() ?? '').length + 1;
      }
      current = carried;
      length = Math.max(0, carriedLength - 1);
      fresh = 0;
    }
    current.push(unit);
    length += (current.length > 1 ? 1 : 0) + unit.length;
    fresh++;
  }
  if (fresh > 0) chunks.push(current.join(' '));
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
