import { extractHtmlInSlices } from './extract-html.ts';
import { DocumentExtractionError, type ExtractedDocument } from './extracted-document.ts';
import { DEFAULT_READ_LIMITS, type ReadLimits, readInWorker, WorkerFailure } from './read-in-worker.ts';

/** An OLE compound file: what Word writes for a password-protected document, and for the old .doc format. */
const COMPOUND_FILE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

/** The document as Markdown, through mammoth's HTML so that headings, lists and tables keep their shape. */
export async function extractDocx(
  bytes: Uint8Array,
  limits: ReadLimits = DEFAULT_READ_LIMITS,
): Promise<ExtractedDocument> {
  if (COMPOUND_FILE.every((byte, index) => bytes[index] === byte)) {
    throw new DocumentExtractionError('the document is password-protected or in the old Word (.doc) format');
  }
  let html: string;
  try {
    html = (await readInWorker('docx', bytes, { noun: 'DOCX document', limits })).html ?? '';
  } catch (error) {
    if (!(error instanceof WorkerFailure) || error.failure === 'Error') throw error;
    throw new DocumentExtractionError('the file is not a valid DOCX document', { cause: error });
  }
  return extractHtmlInSlices(html);
}
