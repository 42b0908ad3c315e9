import JSZip from 'jszip';
import { DocumentExtractionError } from './extracted-document.ts';

/** JSZip keeps the sizes a zip's central directory declares on each entry's (untyped) compressed data. */
type EntryWithSizes = JSZip.JSZipObject & { _data?: { uncompressedSize?: number } };

/**
 * Refuses a zip (a DOCX) whose entries unpack to more than `maxBytes` together: first by the sizes its
 * directory declares, then, since a crafted file can declare anything, by inflating each entry as a stream
 * and counting, stopping at the first byte over. Nothing is kept: the reader opens the file afterwards.
 */
export async function checkDocxSize(
  data: Uint8Array,
  maxBytes: number,
  tooLarge: () => DocumentExtractionError,
): Promise<void> {
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(data, { checkCRC32: false });
  } catch (error) {
    throw new DocumentExtractionError('the file is not a valid DOCX document', { cause: error });
  }
  const entries = Object.values(zip.files).filter((entry) => !entry.dir) as EntryWithSizes[];
  let declared = 0;
  for (const entry of entries) declared += entry._data?.uncompressedSize ?? 0;
  if (declared > maxBytes) throw tooLarge();

  let inflated = 0;
  for (const entry of entries) {
    await new Promise<void>((resolve, reject) => {
      const stream = entry.nodeStream('nodebuffer');
      stream.on('data', (chunk: Buffer) => {
        inflated += chunk.byteLength;
        if (inflated > maxBytes) {
          stream.pause();
          reject(tooLarge());
        }
      });
      stream.on('error', (error: Error) =>
        reject(new DocumentExtractionError('the file is not a valid DOCX document', { cause: error })),
      );
      stream.on('end', () => resolve());
    });
  }
}
