import { DocumentExtractionError, type ExtractedDocument } from './extracted-document.ts';
import { collectLines, layoutPages, type PdfLine } from './pdf-layout.ts';
import {
  DEFAULT_READ_LIMITS,
  type PdfPageRuns,
  type ReadLimits,
  readInWorker,
  WorkerFailure,
} from './read-in-worker.ts';
import { DEFAULT_SOURCE_LIMITS, tooManyPages } from './source-limits.ts';

/** The text of every page as Markdown; the title from the document's metadata, else its first large heading. */
export async function extractPdf(
  bytes: Uint8Array,
  limits: ReadLimits = DEFAULT_READ_LIMITS,
  options: { maxPdfPages?: number } = {},
): Promise<ExtractedDocument> {
  const maxPdfPages = options.maxPdfPages ?? DEFAULT_SOURCE_LIMITS.maxPdfPages;
  const pages: PdfLine[][] = [];
  const onPage = (runs: PdfPageRuns) => {
    pages.push(collectLines(runs.map(([text, y, size, hasEOL]) => ({ text, y, size, hasEOL }))));
  };
  let title: string | null;
  try {
    ({ title } = await readInWorker('pdf', bytes, { noun: 'PDF', limits, onPage, maxPages: maxPdfPages }));
  } catch (error) {
    if (!(error instanceof WorkerFailure) || error.failure === 'Error') throw error;
    if (error.failure === 'TooManyPages') {
      throw tooManyPages({ ...DEFAULT_SOURCE_LIMITS, maxPdfPages }, Number(error.message));
    }
    const reason =
      error.failure === 'PasswordException' ? 'the PDF is password-protected' : 'the file is not a valid PDF';
    throw new DocumentExtractionError(reason, { cause: error });
  }
  const { text, firstHeading } = layoutPages(pages);
  return { title: title ?? firstHeading, text };
}
