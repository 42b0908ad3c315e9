import { DocumentExtractionError } from './extracted-document.ts';

/** Bounds on what one knowledge source may become, whatever its file claims (see docs/knowledge-api.md). */
export type SourceLimits = {
  /** The most text (UTF-8 bytes) one source may give; a DOCX's parts may unpack to ten times this. */
  maxTextBytes: number;
  /** The most chunks one source may be cut into. */
  maxChunks: number;
  /** The most pages a PDF may have. */
  maxPdfPages: number;
};

export const DEFAULT_SOURCE_LIMITS: SourceLimits = {
  maxTextBytes: 10 * 1024 * 1024,
  maxChunks: 20_000,
  maxPdfPages: 2_000,
};

/** XML takes several times the bytes of the text it holds: the parts of a DOCX may unpack to this much. */
export function maxUnpackedBytes(limits: SourceLimits): number {
  return limits.maxTextBytes * 10;
}

/** "10 MB", "0.5 MB". */
export function formatMegabytes(bytes: number): string {
  const megabytes = bytes / 1024 / 1024;
  return `${Number.isInteger(megabytes) ? megabytes : Number(megabytes.toFixed(2))} MB`;
}

export function textTooLarge(limits: SourceLimits): DocumentExtractionError {
  return new DocumentExtractionError(
    `the source's text is over the limit of ${formatMegabytes(limits.maxTextBytes)} per source`,
  );
}

export function tooManyChunks(limits: SourceLimits): DocumentExtractionError {
  return new DocumentExtractionError(
    `the source's text makes more than ${limits.maxChunks} chunks, the limit per source`,
  );
}

export function tooManyPages(limits: SourceLimits, pages: number): DocumentExtractionError {
  return new DocumentExtractionError(
    `the PDF has ${pages} pages, over the limit of ${limits.maxPdfPages} pages per source`,
  );
}

export function unpacksTooLarge(limits: SourceLimits): DocumentExtractionError {
  return new DocumentExtractionError(
    `the DOCX document unpacks to more than ${formatMegabytes(maxUnpackedBytes(limits))}, the limit per source ` +
      `(ten times the ${formatMegabytes(limits.maxTextBytes)} text limit)`,
  );
}
