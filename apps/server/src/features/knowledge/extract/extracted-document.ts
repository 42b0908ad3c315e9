/** What extraction gives: the document's title when it names one, and its text as Markdown. */
export type ExtractedDocument = { title: string | null; text: string };

/** A reason fit to show the user, e.g. "the PDF is password-protected", "the file is not a valid DOCX document", "the PDF has no extractable text (is it a scan?)". */
export class DocumentExtractionError extends Error {
  override name = 'DocumentExtractionError';
}
