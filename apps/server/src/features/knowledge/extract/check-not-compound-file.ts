import { DocumentExtractionError } from './extracted-document.ts';

/** An OLE compound file: what Word writes for a password-protected document, and for the old .doc format. */
const COMPOUND_FILE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

/** Refuses a "DOCX" that is an OLE compound file, with the reason its owner can act on. */
export function checkNotCompoundFile(data: Uint8Array): void {
  if (COMPOUND_FILE.every((byte, index) => data[index] === byte)) {
    throw new DocumentExtractionError('the document is password-protected or in the old Word (.doc) format');
  }
}
