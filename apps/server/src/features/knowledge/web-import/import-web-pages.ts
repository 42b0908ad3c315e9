import { gunzip } from 'node:zlib';
import type { Dispatcher } from 'undici';
import {
  DocumentExtractionError,
  type ExtractedDocument,
  extractDocument,
  extractHtmlInSlices,
} from '../extract/extract-document.ts';
import { DEFAULT_SOURCE_LIMITS } from '../extract/source-limits.ts';
import { decodeWebText, findHtmlMetaCharset, parseContentType } from './decode-web-text.ts';
import { isImportableAddress } from './is-blocked-address.ts';
import { parseSitemap, type Sitemap } from './parse-sitemap.ts';
import { createSafeAgent, formatBytes, parseWebAddress, safeFetch } from './safe-fetch.ts';
import { WebImportError } from './web-import-error.ts';

export { WebImportError } from './web-import-error.ts';

type ImportedPage = { url: string; title: string | null; text: string };

export type WebImportOptions = {
  /** Refuse addresses in private, loopback, link-local, unique-local, CGNAT, multicast and unspecified ranges (IPv4 and IPv6, including IPv4-mapped IPv6) unless true. */
  allowPrivateNetworks: boolean;
  /** Sitemap: at most this many pages (callers: 200). */
  maxPages: number;
  /** A larger response is cut off with an error for that page (callers: 10 MB); sitemaps too, uncompressed. */
  maxBytesPerPage: number;
  /** Per page, covering every redirect hop, headers and body (callers: 15 s). */
  timeoutMs: number;
  /** Pages fetched at once (callers: 4). */
  concurrency: number;
  /** For example 'PollyBot/0.1 (+knowledge import)'. */
  userAgent: string;
  /** A PDF page of more pages than this fails (the source limit; default 2,000). */
  maxPdfPages?: number;
  signal?: AbortSignal;
};

export type WebImportResult = { pages: ImportedPage[]; skipped: { url: string; reason: string }[] };

type Skipped = WebImportResult['skipped'][number];

const PAGE_ACCEPT =
  'text/html,application/xhtml+xml,text/markdown;q=0.9,text/plain;q=0.8,application/pdf;q=0.8,*/*;q=0.1';
const SITEMAP_ACCEPT = 'application/xml,text/xml;q=0.9,*/*;q=0.1';
/** A sitemap index may nest one more index below it; deeper ones are not followed. */
const MAX_SITEMAP_DEPTH = 2;
/** Bounds the requests an index of empty or failing sitemaps can cause. */
const MAX_SITEMAPS = 50;

/** `page`: fetch that one page. `sitemap`: fetch the sitemap (a <urlset>, or a <sitemapindex> whose child sitemaps are followed up to 2 levels deep; gzip-compressed `.xml.gz` too), then every listed page (same-site or not, each through the same safety rules), in sitemap order, at most maxPages. Pages that fail are skipped (their count/first error is available), but if none succeeds throw WebImportError. */
export async function importWebPages(
  url: string,
  crawl: 'page' | 'sitemap',
  options: WebImportOptions,
): Promise<WebImportResult> {
  const agent = createSafeAgent((address) => isImportableAddress(address, options.allowPrivateNetworks));
  try {
    if (crawl === 'page') return { pages: [await importPage(agent, url, options)], skipped: [] };
    const listed = await listSitemapPages(agent, url, options);
    const outcomes = await mapInOrder(listed.urls, options.concurrency, (pageUrl) =>
      importPage(agent, pageUrl, options).catch((error: unknown) => {
        if (error instanceof WebImportError) return { url: pageUrl, reason: error.message };
        throw error;
      }),
    );
    const pages = outcomes.filter((outcome): outcome is ImportedPage => 'text' in outcome);
    const skipped = [
      ...listed.skipped,
      ...outcomes.filter((outcome): outcome is Skipped => 'reason' in outcome),
    ];
    if (pages.length > 0) return { pages, skipped };
    const firstError = skipped[0];
    if (!firstError) throw new WebImportError('the sitemap lists no pages');
    throw new WebImportError(`no page of the sitemap could be imported (first error: ${firstError.reason})`);
  } finally {
    await agent.destroy();
  }
}

async function importPage(agent: Dispatcher, url: string, options: WebImportOptions): Promise<ImportedPage> {
  const response = await safeFetch(agent, url, { ...fetchOptions(options), accept: PAGE_ACCEPT });
  const document = await extractPage(response.bytes, response.contentType, options.maxPdfPages);
  const text = document.text.trim();
  if (!text) throw new WebImportError('the page has no text');
  return { url: response.url, title: document.title?.trim() || null, text };
}

async function extractPage(
  bytes: Uint8Array,
  contentType: string | null,
  maxPdfPages = DEFAULT_SOURCE_LIMITS.maxPdfPages,
): Promise<ExtractedDocument> {
  const { mediaType, charset } = parseContentType(contentType);
  try {
    switch (mediaType) {
      case 'text/html':
      case 'application/xhtml+xml':
        // In slices: a page of several megabytes never holds up the chats this instance serves.
        return await extractHtmlInSlices(decodeWebText(bytes, charset ?? findHtmlMetaCharset(bytes)));
      case 'text/plain':
      case 'text/markdown':
      case 'text/x-markdown':
        return { title: null, text: decodeWebText(bytes, charset) };
      case 'application/pdf':
        return await extractDocument('pdf', bytes, { maxPdfPages });
      default:
        throw new WebImportError(`unsupported content type ${mediaType || '(none given)'}`);
    }
  } catch (error) {
    if (error instanceof DocumentExtractionError) throw new WebImportError(error.message);
    throw error;
  }
}

/** The sitemap's pages in order (without repeats, at most maxPages); child sitemaps that fail are skipped. */
async function listSitemapPages(
  agent: Dispatcher,
  sitemapUrl: string,
  options: WebImportOptions,
): Promise<{ urls: string[]; skipped: Skipped[] }> {
  const pages = new Set<string>();
  const sitemapsSeen = new Set<string>();
  const skipped: Skipped[] = [];

  const visit = async (url: string, depth: number): Promise<void> => {
    if (pages.size >= options.maxPages || sitemapsSeen.has(url) || sitemapsSeen.size >= MAX_SITEMAPS) return;
    sitemapsSeen.add(url);
    const sitemap = await readSitemap(agent, url, options);
    if (sitemap.kind === 'urlset') {
      for (const page of sitemap.urls) {
        if (pages.size >= options.maxPages) break;
        pages.add(page);
      }
      return;
    }
    if (depth >= MAX_SITEMAP_DEPTH) {
      skipped.push({
        url,
        reason: `sitemap indexes nested more than ${MAX_SITEMAP_DEPTH} levels deep are not followed`,
      });
      return;
    }
    for (const child of sitemap.urls) {
      try {
        await visit(child, depth + 1);
      } catch (error) {
        if (!(error instanceof WebImportError)) throw error;
        skipped.push({ url: child, reason: error.message });
      }
    }
  };

  await visit(parseWebAddress(sitemapUrl).href, 0);
  return { urls: [...pages], skipped };
}

async function readSitemap(agent: Dispatcher, url: string, options: WebImportOptions): Promise<Sitemap> {
  const response = await safeFetch(agent, url, { ...fetchOptions(options), accept: SITEMAP_ACCEPT });
  // Sniffed rather than trusted to the name or type: `.xml.gz` files come as application/gzip,
  // application/octet-stream or with Content-Encoding (already undone by fetch).
  const isGzip = response.bytes[0] === 0x1f && response.bytes[1] === 0x8b;
  const bytes = isGzip ? await gunzipCapped(response.bytes, options.maxBytesPerPage) : response.bytes;
  const sitemap = parseSitemap(decodeWebText(bytes, parseContentType(response.contentType).charset));
  if (!sitemap) throw new WebImportError('the address is not a sitemap (no <urlset> or <sitemapindex>)');
  return sitemap;
}

function gunzipCapped(bytes: Uint8Array, maxBytes: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    gunzip(bytes, { maxOutputLength: maxBytes }, (error, result) => {
      if (!error) return resolve(result);
      reject(
        new WebImportError(
          error instanceof RangeError
            ? `the sitemap is larger than ${formatBytes(maxBytes)} once uncompressed`
            : 'the compressed sitemap is damaged',
        ),
      );
    });
  });
}

function fetchOptions(options: WebImportOptions) {
  return {
    userAgent: options.userAgent,
    timeoutMs: options.timeoutMs,
    maxBytes: options.maxBytesPerPage,
    ...(options.signal ? { signal: options.signal } : {}),
  };
}

/** Runs `task` over `items`, at most `concurrency` at once, keeping the results in the items' order. */
async function mapInOrder<T, R>(
  items: T[],
  concurrency: number,
  task: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  let failed = false;
  const work = async () => {
    while (!failed && next < items.length) {
      const index = next++;
      try {
        results[index] = await task(items[index] as T);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, work));
  return results;
}
