import { checkNotCompoundFile } from './check-not-compound-file.ts';
import { extractHtmlInSlices } from './extract-html.ts';
import { DocumentExtractionError, type ExtractedDocument } from './extracted-document.ts';
import { DEFAULT_READ_LIMITS, type ReadLimits, readInWorker, WorkerFailure } from './read-in-worker.ts';

/** The document as Markdown, through mammoth's HTML so that headings, lists and tables keep their shape. */
export async function extractDocx(
  bytes: Uint8Array,
  limits: ReadLimits = DEFAULT_READ_LIMITS,
): Promise<ExtractedDocument> {
  checkNotCompoundFile(bytes);
  let html: string;
  try {
    html = (await readInWorker('docx', bytes, { noun: 'DOCX document', limits })).html ?? '';
  } catch (error) {
    if (!(error instanceof WorkerFailure) || error.failure === 'Error') throw error;
    throw new DocumentExtractionError('the file is not a valid DOCX document', { cause: error });
  }
  return extractHtmlInSlices(html);
}
