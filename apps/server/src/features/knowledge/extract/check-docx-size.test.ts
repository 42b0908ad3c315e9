import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { checkDocxSize } from './check-docx-size.ts';
import { DocumentExtractionError } from './extracted-document.ts';

const MB = 1024 * 1024;
const tooLarge = () => new DocumentExtractionError('too large');

async function zipOf(files: Record<string, string>): Promise<Uint8Array> {
  const zip = new JSZip();
  for (const [name, content] of Object.entries(files)) zip.file(name, content);
  return zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
}

/** Rewrites every uncompressed size the zip declares (local headers and central directory) to `size`. */
function declareSizes(zip: Uint8Array, size: number): Uint8Array {
  const bytes = new Uint8Array(zip);
  const view = new DataView(bytes.buffer);
  for (let offset = 0; offset + 4 <= bytes.length; offset++) {
    const signature = view.getUint32(offset, true);
    if (signature === 0x04034b50) view.setUint32(offset + 22, size, true);
    if (signature === 0x02014b50) view.setUint32(offset + 24, size, true);
  }
  return bytes;
}

describe('checkDocxSize', () => {
  it('accepts a zip whose entries unpack within the limit', async () => {
    const zip = await zipOf({ 'word/document.xml': '<w:document/>'.repeat(1000) });
    await expect(checkDocxSize(zip, MB, tooLarge)).resolves.toBeUndefined();
  });

  it('refuses a zip whose entries declare more than the limit, before inflating them', async () => {
    const zip = await zipOf({ 'a.xml': 'a'.repeat(600_000), 'b.xml': 'b'.repeat(600_000) });
    await expect(checkDocxSize(zip, MB, tooLarge)).rejects.toThrow('too large');
  });

  it('refuses a zip that declares small entries but inflates past the limit', async () => {
    const honest = await zipOf({ 'word/document.xml': 'x'.repeat(8 * MB) });
    const lying = declareSizes(honest, 100);
    const zip = await JSZip.loadAsync(lying);
    expect(Object.keys(zip.files)).toContain('word/document.xml');
    await expect(checkDocxSize(lying, MB, tooLarge)).rejects.toThrow('too large');
  });

  it('refuses bytes that are not a zip as not a DOCX document', async () => {
    await expect(checkDocxSize(new TextEncoder().encode('plain text'), MB, tooLarge)).rejects.toThrow(
      'the file is not a valid DOCX document',
    );
  });
});
