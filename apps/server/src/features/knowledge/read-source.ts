import type { KnowledgePair } from '@pollybot/contracts';
import type { Kysely } from 'kysely';
import type { Database, KnowledgeSourceRow } from '../../db/database.ts';
import { findKnowledgeFile } from '../../db/knowledge.repository.ts';
import { chunkPairs } from './chunk-text.ts';
import { detectDocumentFormat } from './extract/extract-document.ts';
import { prepareInWorker } from './extract/read-in-worker.ts';
import { DEFAULT_SOURCE_LIMITS, type SourceLimits } from './extract/source-limits.ts';
import type { SourceChunk } from './prepare-source.ts';
import { importWebPages, type WebImportOptions } from './web-import/import-web-pages.ts';

/** What reading a source gives: its chunks, and for files and web pages the text extracted and a better title. */
export type ReadSource = { chunks: SourceChunk[]; extractedText?: string; title?: string };

export type ReadSourceDeps = {
  db: Kysely<Database>;
  webImport: Omit<WebImportOptions, 'signal'>;
  /** What one source may become (text, chunks, PDF pages); the defaults when not given. */
  sourceLimits?: SourceLimits;
};

/** A failure the source's owner can act on; its message is stored as the source's `error`. */
export class SourceReadError extends Error {}

/**
 * Reads a source's content (its text, its pairs, its uploaded file or its web pages) and cuts it into
 * chunks. All but a Q&A source's pairs (a thousand at most, one chunk each) are read and cut on a worker
 * thread, within the source limits.
 */
export async function readSource(
  deps: ReadSourceDeps,
  source: KnowledgeSourceRow,
  signal: AbortSignal,
): Promise<ReadSource> {
  const sourceLimits = deps.sourceLimits ?? DEFAULT_SOURCE_LIMITS;
  switch (source.kind) {
    case 'text': {
      const { chunks } = await prepareInWorker(
        { kind: 'text', text: source.content },
        { sourceLimits, signal },
      );
      return { chunks };
    }
    case 'qa': {
      const pairs = JSON.parse(source.content) as KnowledgePair[];
      return { chunks: chunkPairs(pairs).map((chunk) => ({ ...chunk, url: null, pageTitle: null })) };
    }
    case 'file':
      return readFile(deps, source, sourceLimits, signal);
    case 'url':
      return readWebPages(deps, source, sourceLimits, signal);
  }
}

async function readFile(
  deps: ReadSourceDeps,
  source: KnowledgeSourceRow,
  sourceLimits: SourceLimits,
  signal: AbortSignal,
): Promise<ReadSource> {
  const bytes = await findKnowledgeFile(deps.db, source.id);
  if (!bytes) throw new SourceReadError('the uploaded file is missing');
  const format = detectDocumentFormat(source.file_name ?? '', source.media_type ?? undefined, bytes);
  if (!format) throw new SourceReadError('the file type is not supported');
  const prepared = await prepareInWorker({ kind: 'document', format, data: bytes }, { sourceLimits, signal });
  return { chunks: prepared.chunks, extractedText: prepared.text };
}

async function readWebPages(
  deps: ReadSourceDeps,
  source: KnowledgeSourceRow,
  sourceLimits: SourceLimits,
  signal: AbortSignal,
): Promise<ReadSource> {
  if (!source.url) throw new SourceReadError('the source has no address');
  const { pages } = await importWebPages(source.url, source.crawl ?? 'page', {
    ...deps.webImport,
    maxPdfPages: sourceLimits.maxPdfPages,
    signal,
  });
  const prepared = await prepareInWorker(
    { kind: 'pages', pages: pages.map((page) => ({ url: page.url, title: page.title, text: page.text })) },
    { sourceLimits, signal },
  );
  // A source named after its address (no title was given) takes the page's own title.
  const pageTitle = pages[0]?.title;
  const title =
    source.crawl === 'page' && source.title === source.url && pageTitle ? pageTitle.slice(0, 200) : undefined;
  return { chunks: prepared.chunks, extractedText: prepared.text, ...(title ? { title } : {}) };
}
