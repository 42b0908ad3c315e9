import { decodeText } from './decode-text.ts';
import type { DocumentFormat } from './detect-format.ts';
import { extractDocx } from './extract-docx.ts';
import { extractHtmlInSlices } from './extract-html.ts';
import { extractPdf } from './extract-pdf.ts';
import { extractMarkdown, extractPlainText } from './extract-text.ts';
import { DocumentExtractionError, type ExtractedDocument } from './extracted-document.ts';

export { type DocumentFormat, detectDocumentFormat } from './detect-format.ts';
export { extractHtml, extractHtmlInSlices } from './extract-html.ts';
export { DocumentExtractionError, type ExtractedDocument } from './extracted-document.ts';

/** What the user is told when a document reads as no text at all. */
const NO_TEXT: Record<DocumentFormat, string> = {
  pdf: 'the PDF has no extractable text (is it a scan?)',
  docx: 'the DOCX document has no text',
  html: 'the HTML document has no text',
  markdown: 'the file has no text',
  text: 'the file has no text',
};

function extractByFormat(
  format: DocumentFormat,
  bytes: Uint8Array,
  options: { maxPdfPages?: number },
): Promise<ExtractedDocument> | ExtractedDocument {
  switch (format) {
    case 'pdf':
      return extractPdf(bytes, undefined, options);
    case 'docx':
      return extractDocx(bytes);
    case 'html':
      return extractHtmlInSlices(decodeText(bytes, { isHtml: true }));
    case 'markdown':
      return extractMarkdown(bytes);
    case 'text':
      return extractPlainText(bytes);
  }
}

/** Extracts the text; throws DocumentExtractionError for an invalid/encrypted/empty document. Never hangs: large inputs (50 MB) finish. */
export async function extractDocument(
  format: DocumentFormat,
  bytes: Uint8Array,
  options: { maxPdfPages?: number } = {},
): Promise<ExtractedDocument> {
  const document = await extractByFormat(format, bytes, options);
  if (!/\S/.test(document.text)) throw new DocumentExtractionError(NO_TEXT[format]);
  return document;
}
