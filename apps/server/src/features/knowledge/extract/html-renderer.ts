import { MarkdownWriter } from './markdown-writer.ts';

/** Elements that start and end a paragraph; anything else (an unknown element too) is inline. */
const BLOCKS = new Set([
  'address',
  'article',
  'blockquote',
  'body',
  'caption',
  'center',
  'dd',
  'details',
  'dialog',
  'dir',
  'div',
  'dl',
  'dt',
  'fieldset',
  'figcaption',
  'figure',
  'footer',
  'header',
  'hgroup',
  'hr',
  'html',
  'legend',
  'main',
  'menu',
  'p',
  'section',
  'summary',
]);

const PREFORMATTED = new Set(['pre', 'listing', 'plaintext', 'xmp']);

const HEADINGS: Record<string, number> = { h1: 1, h2: 2, h3: 3, h4: 4, h5: 5, h6: 6 };

/** Turns a stream of HTML elements and text (already stripped of what is not content) into Markdown. */
export class HtmlRenderer {
  readonly #writer = new MarkdownWriter();
  /** Per open element: whether it opened a heading, row or cell in the writer, so its end closes the same. */
  readonly #opened: boolean[] = [];
  #preDepth = 0;
  #listDepth = 0;
  #tableDepth = 0;

  open(name: string, attributes: Record<string, string>): void {
    const writer = this.#writer;
    let opened = false;
    const level = HEADINGS[name];
    if (level !== undefined) {
      opened = writer.startHeading(level);
    } else if (name === 'br') {
      writer.lineBreak(this.#preDepth > 0);
    } else if (name === 'img') {
      // An image says nothing in text unless its author described it.
      const alt = attributes.alt?.trim();
      if (alt) writer.text(` ${alt} `);
    } else if (name === 'li') {
      writer.startListItem();
    } else if (name === 'ul' || name === 'ol') {
      // Nested lists continue their parent's run of items.
      if (this.#listDepth++ === 0) writer.separate();
      else writer.endBlock();
    } else if (name === 'table') {
      if (this.#tableDepth++ === 0) writer.separate();
      else writer.endBlock();
    } else if (name === 'tr' || name === 'td' || name === 'th') {
      opened = name === 'tr' ? writer.startRow() : writer.startCell();
      if (!opened) writer.text(' ');
    } else if (PREFORMATTED.has(name)) {
      writer.endBlock(this.#preDepth > 0);
      this.#preDepth++;
    } else if (BLOCKS.has(name)) {
      writer.endBlock(this.#preDepth > 0);
    }
    this.#opened.push(opened);
  }

  close(name: string): void {
    const writer = this.#writer;
    const opened = this.#opened.pop() ?? false;
    if (name in HEADINGS) {
      if (opened) writer.endHeading();
    } else if (name === 'li') {
      writer.endListItem();
    } else if (name === 'ul' || name === 'ol') {
      if (--this.#listDepth === 0) writer.separate();
      else writer.endBlock();
    } else if (name === 'table') {
      if (--this.#tableDepth === 0) writer.separate();
      else writer.endBlock();
    } else if (name === 'tr' || name === 'td' || name === 'th') {
      if (!opened) writer.text(' ');
      else if (name === 'tr') writer.endRow();
      else writer.endCell();
    } else if (PREFORMATTED.has(name)) {
      writer.endBlock(true);
      this.#preDepth--;
    } else if (BLOCKS.has(name)) {
      writer.endBlock(this.#preDepth > 0);
    }
  }

  text(text: string): void {
    this.#writer.text(text, this.#preDepth > 0);
  }

  get hasText(): boolean {
    return this.#writer.hasText;
  }

  /** A new group starts (another article): its first item or row is not glued to what came before. */
  separate(): void {
    this.#writer.separate();
  }

  /** The Markdown, and the first level-one heading (the title of a page without `<title>`). */
  finish(): { text: string; firstHeading: string | null } {
    return { text: this.#writer.finish(), firstHeading: this.#writer.firstTopHeading };
  }
}
