// Kept free of the document libraries and of worker threads: both the server's thread (extract-document.ts)
// and the document-reading thread (../prepare-source.ts) use it, each with its own readers.
import { decodeText } from './decode-text.ts';
import type { DocumentFormat } from './detect-format.ts';
import { extractMarkdown, extractPlainText } from './extract-text.ts';
import { DocumentExtractionError, type ExtractedDocument } from './extracted-document.ts';

/** How the formats that need a library (or a choice of parser) are read; the plain ones are read here. */
export type FormatReaders = {
  pdf: (data: Uint8Array) => Promise<ExtractedDocument>;
  docx: (data: Uint8Array) => Promise<ExtractedDocument>;
  html: (html: string) => Promise<ExtractedDocument> | ExtractedDocument;
};

/** What the user is told when a document reads as no text at all. */
const NO_TEXT: Record<DocumentFormat, string> = {
  pdf: 'the PDF has no extractable text (is it a scan?)',
  docx: 'the DOCX document has no text',
  html: 'the HTML document has no text',
  markdown: 'the file has no text',
  text: 'the file has no text',
};

function readFormat(
  format: DocumentFormat,
  data: Uint8Array,
  readers: FormatReaders,
): Promise<ExtractedDocument> | ExtractedDocument {
  switch (format) {
    case 'pdf':
      return readers.pdf(data);
    case 'docx':
      return readers.docx(data);
    case 'html':
      return readers.html(decodeText(data, { isHtml: true }));
    case 'markdown':
      return extractMarkdown(data);
    case 'text':
      return extractPlainText(data);
  }
}

/** The document's text by its format; throws DocumentExtractionError when it reads as no text at all. */
export async function extractByFormat(
  format: DocumentFormat,
  data: Uint8Array,
  readers: FormatReaders,
): Promise<ExtractedDocument> {
  const document = await readFormat(format, data, readers);
  if (!/\S/.test(document.text)) throw new DocumentExtractionError(NO_TEXT[format]);
  return document;
}
