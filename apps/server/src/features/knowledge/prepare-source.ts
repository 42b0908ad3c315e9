// Runs on the document-reading thread (extract/document-reader.worker.mjs): everything a source costs in
// proportion to its size (reading its file, laying out its text, cutting it into chunks) happens here, off
// the server's event loop, and stops at the first limit it passes.
import { chunkText, type TextChunk } from './chunk-text.ts';
import { checkDocxSize } from './extract/check-docx-size.ts';
import { checkNotCompoundFile } from './extract/check-not-compound-file.ts';
import type { DocumentFormat } from './extract/detect-format.ts';
import { extractByFormat } from './extract/extract-by-format.ts';
import { extractHtml } from './extract/extract-html.ts';
import { collectLines, layoutPages, type PdfLine } from './extract/pdf-layout.ts';
import type { PdfPageRuns } from './extract/read-in-worker.ts';
import {
  maxUnpackedBytes,
  type SourceLimits,
  textTooLarge,
  tooManyChunks,
  tooManyPages,
  unpacksTooLarge,
} from './extract/source-limits.ts';

/** A chunk as ingestion stores it: for a web page, with the page it came from. */
export type SourceChunk = TextChunk & { url: string | null; pageTitle: string | null };

/** What a source is read from: an uploaded document, a text source's Markdown, or imported web pages' text. */
export type SourceJob =
  | { kind: 'document'; format: DocumentFormat; data: Uint8Array }
  | { kind: 'text'; text: string }
  | { kind: 'pages'; pages: { url: string; title: string | null; text: string }[] };

/** The source's title when its document names one, its whole text, and its chunks. */
export type PreparedSource = { title: string | null; text: string; chunks: SourceChunk[] };

/** The document libraries, which the thread's own (JavaScript) entry loads. */
type DocumentReaders = {
  readPdf: (
    data: Uint8Array,
    options: { onOpen: (pages: number) => void; onPage: (runs: PdfPageRuns) => void },
  ) => Promise<{ title: string | null }>;
  readDocxHtml: (data: Uint8Array) => Promise<string>;
};

function checkText(text: string, limits: SourceLimits): void {
  // A character takes at least one byte: only a text near the limit is measured exactly.
  if (text.length > limits.maxTextBytes || Buffer.byteLength(text) > limits.maxTextBytes) {
    throw textTooLarge(limits);
  }
}

function plain(chunks: TextChunk[]): SourceChunk[] {
  return chunks.map((chunk) => ({ ...chunk, url: null, pageTitle: null }));
}

async function readPdf(data: Uint8Array, limits: SourceLimits, readers: DocumentReaders) {
  const pages: PdfLine[][] = [];
  let characters = 0;
  const { title } = await readers.readPdf(data, {
    onOpen: (count) => {
      if (count > limits.maxPdfPages) throw tooManyPages(limits, count);
    },
    onPage: (runs) => {
      for (const [text] of runs) characters += text.length;
      if (characters > limits.maxTextBytes) throw textTooLarge(limits);
      pages.push(collectLines(runs.map(([text, y, size, hasEOL]) => ({ text, y, size, hasEOL }))));
    },
  });
  const { text, firstHeading } = layoutPages(pages);
  return { title: title ?? firstHeading, text };
}

async function readDocx(data: Uint8Array, limits: SourceLimits, readers: DocumentReaders) {
  checkNotCompoundFile(data);
  await checkDocxSize(data, maxUnpackedBytes(limits), () => unpacksTooLarge(limits));
  return extractHtml(await readers.readDocxHtml(data));
}

/** Reads and chunks a source; throws DocumentExtractionError (a reason for its owner) at a limit or a bad file. */
export async function prepareSource(
  job: SourceJob,
  limits: SourceLimits,
  readers: DocumentReaders,
): Promise<PreparedSource> {
  let prepared: PreparedSource;
  if (job.kind === 'document') {
    const document = await extractByFormat(job.format, job.data, {
      pdf: (data) => readPdf(data, limits, readers),
      docx: (data) => readDocx(data, limits, readers),
      html: extractHtml,
    });
    checkText(document.text, limits);
    prepared = { title: document.title, text: document.text, chunks: plain(chunkText(document.text)) };
  } else if (job.kind === 'text') {
    checkText(job.text, limits);
    prepared = { title: null, text: job.text, chunks: plain(chunkText(job.text)) };
  } else {
    const text = job.pages.map((page) => `# ${page.title ?? page.url}\n\n${page.text}`).join('\n\n');
    checkText(text, limits);
    const chunks = job.pages.flatMap((page) =>
      chunkText(page.text).map((chunk) => ({ ...chunk, url: page.url, pageTitle: page.title })),
    );
    prepared = { title: null, text, chunks };
  }
  if (prepared.chunks.length > limits.maxChunks) throw tooManyChunks(limits);
  return prepared;
}
