import { collapseWhitespace, MarkdownWriter } from './markdown-writer.ts';

/** A run of text as pdf.js reports it: its baseline position and font size in page units. */
export type PdfTextRun = { text: string; y: number; size: number; hasEOL: boolean };

/** One line of a page: its text, its baseline and the font size most of its characters use. */
export type PdfLine = { text: string; y: number; size: number };

const BULLET = /^[•◦▪▫‣⁃●○■□➢➤►▶✓✔-]\s+/;

/** Sizes compare within half a point. */
function sizeKey(size: number): number {
  return Math.round(size * 2) / 2;
}

/** Cuts a page's runs (in content order) into lines, at pdf.js's line ends and where the baseline moves. */
export function collectLines(runs: Iterable<PdfTextRun>): PdfLine[] {
  const lines: PdfLine[] = [];
  let parts: string[] = [];
  let hasText = false;
  let y = 0;
  let lastY = 0;
  let lastSize = 0;
  const charactersBySize = new Map<number, number>();

  const endLine = () => {
    const text = collapseWhitespace(parts.join('')).trim();
    if (text) {
      let size = 0;
      let most = -1;
      for (const [candidate, count] of charactersBySize) {
        if (count > most) [size, most] = [candidate, count];
      }
      lines.push({ text, y, size });
    }
    parts = [];
    hasText = false;
    charactersBySize.clear();
  };

  for (const run of runs) {
    if (run.text !== '') {
      const isBlank = run.text.trim() === '';
      const moved = Math.abs(run.y - lastY) > Math.max(run.size, lastSize) / 2;
      if (hasText && !isBlank && moved) endLine();
      if (!isBlank) {
        if (!hasText) y = run.y;
        hasText = true;
        lastY = run.y;
        lastSize = run.size;
        const key = sizeKey(run.size);
        charactersBySize.set(key, (charactersBySize.get(key) ?? 0) + run.text.length);
      }
      parts.push(run.text);
    }
    if (run.hasEOL) endLine();
  }
  endLine();
  return lines;
}

/** The value that covers the most weight (characters, occurrences), or undefined for none. */
function mostCommon(weights: Map<number, number>): number | undefined {
  let best: number | undefined;
  let bestWeight = 0;
  for (const [value, weight] of weights) {
    if (weight > bestWeight) [best, bestWeight] = [value, weight];
  }
  return best;
}

function addWeight(weights: Map<number, number>, value: number, weight: number): void {
  weights.set(value, (weights.get(value) ?? 0) + weight);
}

/** The document's typography: its body size, its usual line spacing, and a level for each heading size. */
function measure(pages: PdfLine[][]) {
  const sizes = new Map<number, number>();
  for (const line of pages.flat()) addWeight(sizes, sizeKey(line.size), line.text.length);
  const bodySize = mostCommon(sizes) ?? 0;

  const gaps = new Map<number, number>();
  for (const lines of pages) {
    for (let index = 1; index < lines.length; index++) {
      const [previous, line] = [lines[index - 1] as PdfLine, lines[index] as PdfLine];
      const gap = previous.y - line.y;
      if (gap > 0 && sizeKey(previous.size) === bodySize && sizeKey(line.size) === bodySize) {
        addWeight(gaps, sizeKey(gap), 1);
      }
    }
  }
  const lineSpacing = mostCommon(gaps) ?? bodySize * 1.2;

  const isHeading = (line: PdfLine) =>
    bodySize > 0 && line.size >= bodySize * 1.2 && line.text.length <= 200 && /\p{L}/u.test(line.text);
  const headingSizes = [
    ...new Set(
      pages
        .flat()
        .filter(isHeading)
        .map((line) => sizeKey(line.size)),
    ),
  ];
  headingSizes.sort((a, b) => b - a);
  const headingLevel = (line: PdfLine) =>
    isHeading(line) ? Math.min(headingSizes.indexOf(sizeKey(line.size)) + 1, 6) : 0;
  return { lineSpacing, headingLevel };
}

/**
 * Joins a wrapped line to the lines before it. A hyphen at the end of a line splits a word when a
 * lowercase letter follows ("exam-" "ple"), and joins a compound otherwise ("COVID-" "19").
 */
function joinLine(lines: string[], line: string): void {
  const last = lines.at(-1);
  if (last === undefined) {
    lines.push(line);
  } else if (!/\p{L}-$/u.test(last.slice(-2))) {
    lines.push(' ', line);
  } else if (/^\p{Ll}/u.test(line)) {
    lines[lines.length - 1] = last.slice(0, -1);
    lines.push(line);
  } else {
    lines.push(line);
  }
}

/**
 * Markdown from the lines of every page. Lines set larger than the body text are headings (the largest
 * size `#`, the next `##`...); lines starting with a bullet are `- ` items; other lines join into
 * paragraphs, which end where the spacing between lines grows, the size changes, or the page ends.
 */
export function layoutPages(pages: PdfLine[][]): { text: string; firstHeading: string | null } {
  const { lineSpacing, headingLevel } = measure(pages);
  const writer = new MarkdownWriter();
  let paragraph: string[] = [];
  let level = 0;
  let isItem = false;

  const endParagraph = () => {
    if (paragraph.length === 0) return;
    const text = paragraph.join('');
    if (level > 0) {
      writer.startHeading(level);
      writer.text(text);
      writer.endHeading();
    } else if (isItem) {
      writer.startListItem();
      writer.text(text);
      writer.endListItem();
    } else {
      writer.text(text);
      writer.endBlock();
    }
    paragraph = [];
  };

  for (const lines of pages) {
    let previous: PdfLine | undefined;
    for (const line of lines) {
      const lineLevel = headingLevel(line);
      const bullet = BULLET.exec(line.text);
      const gap = previous ? previous.y - line.y : 0;
      const isNewBlock =
        !previous ||
        lineLevel !== level ||
        bullet !== null ||
        gap <= 0 ||
        gap > Math.max(lineSpacing, line.size * 1.1) * 1.4 ||
        Math.abs(line.size - previous.size) > previous.size * 0.15;
      if (isNewBlock) {
        endParagraph();
        level = lineLevel;
        isItem = bullet !== null;
      }
      joinLine(paragraph, bullet ? line.text.slice(bullet[0].length) : line.text);
      previous = line;
    }
    endParagraph();
  }
  return { text: writer.finish(), firstHeading: writer.firstTopHeading };
}
