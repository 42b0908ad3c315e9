import type { KnowledgeSource } from '../api/types.ts';
import { formatBytes, formatNumber, pluralize } from './format.ts';

// How knowledge sources read in the dashboard: their kind, where they come from, and their status.

/** A source's status as a badge: its words, its colour, and whether it is still being worked on. */
export interface SourceStatusLabel {
  label: string;
  tone: 'info' | 'success' | 'danger';
  isPending: boolean;
  /** More about the status: the chunk count of a ready source, the reason a source failed. */
  detail: string | undefined;
}

/** Whether ingestion has yet to finish: the list keeps asking until it has. */
export function isPendingSource(source: Pick<KnowledgeSource, 'status'>): boolean {
  return source.status === 'queued' || source.status === 'processing';
}

/** The badge of a source's status. */
export function describeSourceStatus(
  source: Pick<KnowledgeSource, 'status' | 'chunkCount' | 'error'>,
): SourceStatusLabel {
  switch (source.status) {
    case 'queued':
      return { label: 'Queued', tone: 'info', isPending: true, detail: 'Waiting to be read' };
    case 'processing':
      return { label: 'Processing', tone: 'info', isPending: true, detail: 'Reading and indexing' };
    case 'ready':
      return {
        label: 'Ready',
        tone: 'success',
        isPending: false,
        detail: pluralize(source.chunkCount, 'chunk'),
      };
    case 'failed':
      return {
        label: 'Failed',
        tone: 'danger',
        isPending: false,
        detail: source.error ?? 'Ingestion failed for an unknown reason. Re-sync the source to try again.',
      };
  }
}

/** The kind of a source as a short label: "Text", "Q&A", "File", "Web page" or "Sitemap". */
export function describeSourceKind(source: Pick<KnowledgeSource, 'kind' | 'crawl'>): string {
  switch (source.kind) {
    case 'text':
      return 'Text';
    case 'qa':
      return 'Q&A';
    case 'file':
      return 'File';
    case 'url':
      return source.crawl === 'sitemap' ? 'Sitemap' : 'Web page';
  }
}

/**
 * Where a source comes from, under its title: the address it imports, the uploaded file's name and
 * size, the number of pairs or characters; undefined when the list does not carry it.
 */
export function describeSourceOrigin(
  source: Pick<KnowledgeSource, 'kind' | 'url' | 'file' | 'pairs' | 'content'>,
): string | undefined {
  if (source.kind === 'url') return source.url;
  if (source.kind === 'file' && source.file) return `${source.file.name} · ${formatBytes(source.file.size)}`;
  if (source.kind === 'qa' && source.pairs) return pluralize(source.pairs.length, 'pair');
  if (source.kind === 'text' && source.content !== undefined)
    return `${formatNumber(source.content.length)} characters`;
  return undefined;
}

/** The list after a round of polling: sources read again replace their rows, deleted ones leave it. */
export function applySourceUpdates(
  sources: KnowledgeSource[],
  fresh: KnowledgeSource[],
  goneIds: string[],
): KnowledgeSource[] {
  const byId = new Map(fresh.map((source) => [source.id, source]));
  return sources
    .filter((source) => !goneIds.includes(source.id))
    .map((source) => byId.get(source.id) ?? source);
}
