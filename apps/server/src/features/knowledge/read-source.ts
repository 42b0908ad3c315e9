import type { KnowledgePair } from '@pollybot/contracts';
import type { Kysely } from 'kysely';
import type { Database, KnowledgeSourceRow } from '../../db/database.ts';
import { findKnowledgeFile } from '../../db/knowledge.repository.ts';
import { chunkPairs, chunkText, type TextChunk } from './chunk-text.ts';
import { detectDocumentFormat, extractDocument } from './extract/extract-document.ts';
import { importWebPages, type WebImportOptions } from './web-import/import-web-pages.ts';

/** A chunk as ingestion stores it: for a web page, with the page it came from. */
export type SourceChunk = TextChunk & { url: string | null; pageTitle: string | null };

/** What reading a source gives: its chunks, and for files and web pages the text extracted and a better title. */
export type ReadSource = { chunks: SourceChunk[]; extractedText?: string; title?: string };

export type ReadSourceDeps = {
  db: Kysely<Database>;
  webImport: Omit<WebImportOptions, 'signal'>;
};

/** A failure the source's owner can act on; its message is stored as the source's `error`. */
export class SourceReadError extends Error {}

function plain(chunks: TextChunk[]): SourceChunk[] {
  return chunks.map((chunk) => ({ ...chunk, url: null, pageTitle: null }));
}

/** Reads a source's content (its text, its pairs, its uploaded file or its web pages) and cuts it into chunks. */
export async function readSource(
  deps: ReadSourceDeps,
  source: KnowledgeSourceRow,
  signal: AbortSignal,
): Promise<ReadSource> {
  switch (source.kind) {
    case 'text':
      return { chunks: plain(chunkText(source.content)) };
    case 'qa':
      return { chunks: plain(chunkPairs(JSON.parse(source.content) as KnowledgePair[])) };
    case 'file':
      return readFile(deps, source);
    case 'url':
      return readWebPages(deps, source, signal);
  }
}

async function readFile(deps: ReadSourceDeps, source: KnowledgeSourceRow): Promise<ReadSource> {
  const bytes = await findKnowledgeFile(deps.db, source.id);
  if (!bytes) throw new SourceReadError('the uploaded file is missing');
  const format = detectDocumentFormat(source.file_name ?? '', source.media_type ?? undefined, bytes);
  if (!format) throw new SourceReadError('the file type is not supported');
  const document = await extractDocument(format, bytes);
  return { chunks: plain(chunkText(document.text)), extractedText: document.text };
}

async function readWebPages(
  deps: ReadSourceDeps,
  source: KnowledgeSourceRow,
  signal: AbortSignal,
): Promise<ReadSource> {
  if (!source.url) throw new SourceReadError('the source has no address');
  const { pages } = await importWebPages(source.url, source.crawl ?? 'page', { ...deps.webImport, signal });
  const chunks = pages.flatMap((page) =>
    chunkText(page.text).map((chunk) => ({ ...chunk, url: page.url, pageTitle: page.title })),
  );
  const extractedText = pages.map((page) => `# ${page.title ?? page.url}\n\n${page.text}`).join('\n\n');
  // A source named after its address (no title was given) takes the page's own title.
  const pageTitle = pages[0]?.title;
  const title =
    source.crawl === 'page' && source.title === source.url && pageTitle ? pageTitle.slice(0, 200) : undefined;
  return { chunks, extractedText, ...(title ? { title } : {}) };
}
