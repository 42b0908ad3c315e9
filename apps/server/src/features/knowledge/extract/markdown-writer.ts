/** Block kinds that sit on consecutive lines (a list's items, a table's rows); anything else is a paragraph. */
type BlockKind = 'item' | 'row' | 'paragraph';

// Spaces of every width become one space; characters that only shape the text go.
const WHITESPACE = /[\s\u00a0\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/g;
const INVISIBLE = /[\u00ad\u200b\ufeff]/g;

/** Whitespace and invisible characters collapsed, as a browser lays out text. */
export function collapseWhitespace(text: string): string {
  return text.replace(INVISIBLE, '').replace(WHITESPACE, ' ');
}

/** A line that would read as a Markdown heading but is not one keeps its `#` literal. */
function escapeHeadingMarker(line: string): string {
  return line.startsWith('#') ? line.replace(/^(#{1,6})(?=\s|$)/, '\\$1') : line;
}

/** Appends in constant time however long the text grows (a page can be one 20 MB paragraph). */
class TextBuffer {
  #parts: string[] = [];

  get isEmpty(): boolean {
    return this.#parts.length === 0;
  }

  get endsWithBreak(): boolean {
    const last = this.#parts.at(-1);
    return last === undefined || last.endsWith(' ') || last.endsWith('\n');
  }

  append(text: string): void {
    if (text) this.#parts.push(text);
  }

  /** Drops the trailing space (pieces never end in more than one, see `MarkdownWriter.text`). */
  trimEnd(): void {
    const last = this.#parts.pop()?.trimEnd();
    if (last) this.#parts.push(last);
  }

  take(): string {
    const text = this.#parts.join('');
    this.#parts = [];
    return text;
  }
}

/**
 * Builds Markdown from a stream of text and structure: paragraphs separated by blank lines, `#` headings,
 * `- ` list items and table rows (cells joined by ` | `) on consecutive lines, preformatted text as an
 * indented code block (so that a `# comment` in code does not read as a heading).
 */
export class MarkdownWriter {
  /** The blocks written, each after its separator (none before the first). */
  #parts: string[] = [];
  #lastKind: BlockKind | undefined;
  #separate = false;
  #line = new TextBuffer();
  #listMarker = '';
  #headingLevel = 0;
  #cell: TextBuffer | null = null;
  #row: string[] | null = null;
  #firstTopHeading: string | null = null;

  /** Whether any block has been written. */
  get hasText(): boolean {
    return this.#parts.length > 0;
  }

  /** The text of the first level-one heading written, if any. */
  get firstTopHeading(): string | null {
    return this.#firstTopHeading;
  }

  /** Inline text; whitespace collapses unless it is preformatted. */
  text(text: string, preformatted = false): void {
    if (preformatted && this.#cell === null) {
      this.#line.append(text.replace(/\r\n?/g, '\n'));
      return;
    }
    const collapsed = collapseWhitespace(text);
    const target = this.#cell ?? this.#line;
    target.append(collapsed.startsWith(' ') && target.endsWithBreak ? collapsed.slice(1) : collapsed);
  }

  /** A forced line break (`<br>`); inside a table cell or a heading it is a space. */
  lineBreak(preformatted = false): void {
    if (preformatted && this.#cell === null) {
      this.#line.append('\n');
    } else if (this.#cell !== null || this.#headingLevel > 0) {
      this.text(' ');
    } else {
      this.#line.trimEnd();
      this.#line.append('\n');
    }
  }

  /** Ends the current block (a block element opens or closes); inside a cell the cell just gets a space. */
  endBlock(preformatted = false): void {
    if (this.#cell !== null) {
      this.text(' ');
      return;
    }
    if (this.#line.isEmpty) return;
    const line = this.#line.take();
    if (this.#headingLevel > 0) {
      const heading = collapseWhitespace(line).trim();
      if (!heading) return;
      if (this.#headingLevel === 1) this.#firstTopHeading ??= heading;
      this.#push('paragraph', `${'#'.repeat(this.#headingLevel)} ${heading}`);
      return;
    }
    if (preformatted) {
      const code = line.split('\n').map((text) => (text.trim() ? `    ${text.trimEnd()}` : ''));
      const first = code.findIndex((text) => text !== '');
      const last = code.findLastIndex((text) => text !== '');
      if (first >= 0) this.#push('paragraph', code.slice(first, last + 1).join('\n'));
      return;
    }
    const lines = line
      .split('\n')
      .map((text) => escapeHeadingMarker(text.trim()))
      .filter((text) => text !== '');
    if (lines.length === 0) return;
    if (this.#listMarker) {
      this.#push('item', `${this.#listMarker}${lines.join(' ')}`);
      this.#listMarker = '';
    } else {
      this.#push('paragraph', lines.join('\n'));
    }
  }

  /** The next block with text is a list item. */
  startListItem(): void {
    this.endBlock();
    if (this.#cell === null) this.#listMarker = '- ';
  }

  /** An item without text of its own (only a nested list, say) leaves no marker behind. */
  endListItem(): void {
    this.endBlock();
    this.#listMarker = '';
  }

  /** A list or table starts or ends: its first item or row is not glued to what came before. */
  separate(): void {
    this.endBlock();
    this.#separate = true;
  }

  /** Text up to `endHeading` is a heading of this level (1-6); false (and plain text) inside a cell or heading. */
  startHeading(level: number): boolean {
    if (this.#cell !== null || this.#headingLevel > 0) return false;
    this.endBlock();
    this.#headingLevel = level;
    return true;
  }

  endHeading(): void {
    this.endBlock();
    this.#headingLevel = 0;
  }

  /** Starts a table row; false inside a cell (a nested table's text joins the outer cell). */
  startRow(): boolean {
    if (this.#cell !== null) return false;
    this.endBlock();
    this.#row = [];
    return true;
  }

  endRow(): void {
    const row = this.#row;
    this.#row = null;
    if (row?.some((cell) => cell !== '')) this.#push('row', escapeHeadingMarker(row.join(' | ').trim()));
  }

  /** Starts a cell; false inside another cell, or outside a row (where the cell is plain text). */
  startCell(): boolean {
    if (this.#cell !== null || this.#row === null) return false;
    this.endBlock();
    this.#cell = new TextBuffer();
    return true;
  }

  endCell(): void {
    const cell = this.#cell?.take() ?? '';
    this.#cell = null;
    this.#row?.push(cell.trim());
  }

  /** The Markdown written so far, with the open block ended. */
  finish(): string {
    this.endBlock();
    return this.#parts.join('');
  }

  #push(kind: BlockKind, text: string): void {
    if (this.#parts.length > 0) {
      const isGlued = !this.#separate && kind !== 'paragraph' && this.#lastKind === kind;
      this.#parts.push(isGlued ? '\n' : '\n\n');
    }
    this.#parts.push(text);
    this.#separate = false;
    this.#lastKind = kind;
  }
}
