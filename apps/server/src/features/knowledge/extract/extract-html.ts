import { setImmediate as nextTurn } from 'node:timers/promises';
import { type Handler, Parser } from 'htmlparser2';
import { DocumentExtractionError, type ExtractedDocument } from './extracted-document.ts';
import { HtmlRenderer } from './html-renderer.ts';
import { collapseWhitespace } from './markdown-writer.ts';

/** Never text: code, styling, embedded media, and the page's own chrome (menus, banners, sidebars, forms). */
const DROPPED = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'svg',
  'math',
  'nav',
  'header',
  'footer',
  'aside',
  'form',
  'iframe',
  'title',
  'button',
  'select',
  'textarea',
  'canvas',
  'object',
  'embed',
  'audio',
  'video',
]);

/** ARIA landmarks that stand for the elements above. */
const DROPPED_ROLES = new Set(['navigation', 'banner', 'contentinfo', 'complementary', 'search', 'form']);

/**
 * htmlparser2 keeps its open elements in an array it shifts, unshifts and searches, so every level of
 * nesting makes each tag slower: 200 000 unclosed `<div>`s take over ten seconds. Browsers stop nesting
 * at a few hundred levels; a page deeper than this is refused rather than left to run.
 */
const MAX_DEPTH = 1000;

/** Slices parsed between two turns of the event loop, so that a 50 MB page does not stall the server. */
const SLICE_CHARACTERS = 1 << 18;

type Attributes = Record<string, string>;

/**
 * Whether an element and what it holds are skipped. A `header` inside an `article` or `main` is the
 * article's own (its title, its byline), so it stays; the page's header goes.
 */
function isDropped(name: string, attributes: Attributes, inContent: boolean): boolean {
  if (name === 'header' && inContent) return false;
  if (DROPPED.has(name)) return true;
  if (attributes.hidden !== undefined || attributes['aria-hidden'] === 'true') return true;
  return attributes.role !== undefined && DROPPED_ROLES.has(attributes.role);
}

function isMain(name: string, attributes: Attributes): boolean {
  return name === 'main' || attributes.role === 'main';
}

// What an open element is, as bits (one number per open element keeps a large page's garbage down).
const DROPPED_ELEMENT = 1;
const CONTENT_ELEMENT = 2;
const ARTICLE_ELEMENT = 4;
const MAIN_ELEMENT = 8;

/**
 * Reads a page as htmlparser2 streams it, without building its tree (the tree of a 20 MB page costs
 * seconds of garbage collection and most of a gigabyte). Everything readable goes to one renderer; what is
 * inside the first `<main>` and inside the outermost `<article>`s also goes to their own, so the choice
 * between them can wait until the end.
 */
class HtmlExtractor implements Partial<Handler> {
  readonly #page = new HtmlRenderer();
  readonly #main = new HtmlRenderer();
  readonly #articles = new HtmlRenderer();
  readonly #open: number[] = [];
  #active: HtmlRenderer[] = [this.#page];
  #mainState: 'before' | 'inside' | 'after' = 'before';
  #articleDepth = 0;
  #contentDepth = 0;
  #droppedDepth = 0;
  #isPageNeeded = true;
  #title: string | null = null;
  #titleText: string[] | null = null;

  onopentag(name: string, attributes: Attributes): void {
    if (this.#open.length >= MAX_DEPTH) {
      throw new DocumentExtractionError(
        `the HTML document nests elements more than ${MAX_DEPTH} levels deep`,
      );
    }
    if (name === 'title' && this.#droppedDepth === 0 && this.#title === null) this.#titleText = [];
    if (this.#droppedDepth > 0 || isDropped(name, attributes, this.#contentDepth > 0)) {
      this.#open.push(DROPPED_ELEMENT);
      this.#droppedDepth++;
      return;
    }
    const isArticle = name === 'article';
    const startsMain = this.#mainState === 'before' && isMain(name, attributes);
    const isContent = isArticle || isMain(name, attributes);
    this.#open.push(
      (isContent ? CONTENT_ELEMENT : 0) | (isArticle ? ARTICLE_ELEMENT : 0) | (startsMain ? MAIN_ELEMENT : 0),
    );
    if (isContent) this.#contentDepth++;
    if (startsMain) this.#mainState = 'inside';
    if (isArticle && this.#articleDepth++ === 0) this.#articles.separate();
    if (isArticle || startsMain) this.#updateActive();
    for (const renderer of this.#active) renderer.open(name, attributes);
  }

  onclosetag(name: string): void {
    const element = this.#open.pop();
    if (element === undefined) return;
    if (name === 'title' && this.#titleText) {
      this.#title = collapseWhitespace(this.#titleText.join('')).trim() || null;
      this.#titleText = null;
    }
    if (element & DROPPED_ELEMENT) {
      this.#droppedDepth--;
      return;
    }
    for (const renderer of this.#active) renderer.close(name);
    if (element & CONTENT_ELEMENT) this.#contentDepth--;
    if (element & MAIN_ELEMENT) this.#mainState = 'after';
    if (element & ARTICLE_ELEMENT) this.#articleDepth--;
    if (element & (MAIN_ELEMENT | ARTICLE_ELEMENT)) this.#updateActive();
  }

  ontext(text: string): void {
    this.#titleText?.push(text);
    if (this.#droppedDepth > 0) return;
    for (const renderer of this.#active) renderer.text(text);
    // Once a `<main>` or an `<article>` has text, the whole page's will not be chosen: stop writing it.
    if (this.#isPageNeeded && this.#active.length > 1 && (this.#main.hasText || this.#articles.hasText)) {
      this.#isPageNeeded = false;
      this.#updateActive();
    }
  }

  /** The title, and the text of the first `<main>`, else of the `<article>`s, else of the whole page. */
  result(): ExtractedDocument {
    let rendered = { text: '', firstHeading: null as string | null };
    for (const renderer of [this.#main, this.#articles, this.#page]) {
      rendered = renderer.finish();
      if (rendered.text !== '') break;
    }
    return { title: this.#title ?? rendered.firstHeading, text: rendered.text };
  }

  #updateActive(): void {
    this.#active = [];
    if (this.#isPageNeeded) this.#active.push(this.#page);
    if (this.#mainState === 'inside') this.#active.push(this.#main);
    if (this.#articleDepth > 0) this.#active.push(this.#articles);
  }
}

function createParser(extractor: HtmlExtractor): Parser {
  return new Parser(extractor, { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true });
}

/** Also used directly for web pages: title from <title> (or first <h1>), text from the main content: drops script, style, noscript, template, svg, nav, header, footer, aside, form, iframe; prefers <main> or <article> when present. Headings h1-h6 become #..######, li become "- ", tables become rows with " | " between cells, <br> a newline, block elements paragraphs. Entities decoded. */
export function extractHtml(html: string): ExtractedDocument {
  const extractor = new HtmlExtractor();
  createParser(extractor).end(html);
  return extractor.result();
}

/** `extractHtml` for large documents: parses a slice at a time and lets the event loop run in between. */
export async function extractHtmlInSlices(html: string): Promise<ExtractedDocument> {
  const extractor = new HtmlExtractor();
  const parser = createParser(extractor);
  for (let start = 0; start < html.length; start += SLICE_CHARACTERS) {
    parser.write(html.slice(start, start + SLICE_CHARACTERS));
    await nextTurn();
  }
  parser.end();
  return extractor.result();
}
