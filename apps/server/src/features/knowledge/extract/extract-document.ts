import type { DocumentFormat } from './detect-format.ts';
import { extractByFormat } from './extract-by-format.ts';
import { extractDocx } from './extract-docx.ts';
import { extractHtmlInSlices } from './extract-html.ts';
import { extractPdf } from './extract-pdf.ts';
import type { ExtractedDocument } from './extracted-document.ts';

export { type DocumentFormat, detectDocumentFormat } from './detect-format.ts';
export { extractHtmlInSlices } from './extract-html.ts';
export { DocumentExtractionError, type ExtractedDocument } from './extracted-document.ts';

/** Extracts the text; throws DocumentExtractionError for an invalid/encrypted/empty document. Never hangs: large inputs (50 MB) finish. */
export function extractDocument(
  format: DocumentFormat,
  bytes: Uint8Array,
  options: { maxPdfPages?: number } = {},
): Promise<ExtractedDocument> {
  return extractByFormat(format, bytes, {
    pdf: (data) => extractPdf(data, undefined, options),
    docx: (data) => extractDocx(data),
    html: extractHtmlInSlices,
  });
}
