import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { buildDocx } from '../../../../test/helpers/documents.ts';
import { chunkText } from '../chunk-text.ts';
import { extractDocx } from './extract-docx.ts';
import { DocumentExtractionError } from './extracted-document.ts';

const notDocx = new DocumentExtractionError('the file is not a valid DOCX document');

describe('extractDocx', () => {
  it('turns Heading 1 and Heading 2 paragraphs into # and ## lines between paragraphs', async () => {
    const docx = await buildDocx([
      { text: 'Opening hours', style: 'Heading1' },
      { text: 'We open at nine.' },
      { text: 'Holidays', style: 'Heading2' },
      { text: 'Closed on Sundays & holidays.' },
    ]);

    const document = await extractDocx(docx);

    expect(document).toEqual({
      title: 'Opening hours',
      text: '# Opening hours\n\nWe open at nine.\n\n## Holidays\n\nClosed on Sundays & holidays.',
    });
    expect(chunkText(document.text)).toEqual([
      { heading: 'Opening hours', content: 'We open at nine.' },
      { heading: 'Holidays', content: 'Closed on Sundays & holidays.' },
    ]);
  });

  it('takes the Title paragraph as the title, and keeps lists and tables', async () => {
    const docx = await buildDocx([
      { text: 'Staff handbook', style: 'Title' },
      { text: 'Bring:' },
      { listItem: 'an apron' },
      { listItem: 'good shoes' },
      {
        table: [
          ['Day', 'Shift'],
          ['Monday', 'Early'],
        ],
      },
    ]);

    const document = await extractDocx(docx);

    expect(document.title).toBe('Staff handbook');
    expect(document.text).toBe(
      '# Staff handbook\n\nBring:\n\n- an apron\n- good shoes\n\nDay | Shift\nMonday | Early',
    );
  });

  it('fails with a clear reason for bytes that are not a zip', async () => {
    await expect(extractDocx(new TextEncoder().encode('plain text, not a document'))).rejects.toThrow(
      notDocx,
    );
  });

  it('fails with a clear reason for a zip without a Word document inside', async () => {
    const zip = await new JSZip().file('hello.txt', 'hello').generateAsync({ type: 'uint8array' });

    await expect(extractDocx(zip)).rejects.toThrow(notDocx);
  });

  it('fails with a clear reason for a truncated DOCX', async () => {
    const docx = await buildDocx([{ text: 'Cut short.' }]);

    await expect(extractDocx(docx.subarray(0, docx.length - 100))).rejects.toThrow(notDocx);
  });

  it('recognises an encrypted document (an OLE compound file, like the old .doc format)', async () => {
    const compound = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]);

    await expect(extractDocx(compound)).rejects.toThrow(
      new DocumentExtractionError('the document is password-protected or in the old Word (.doc) format'),
    );
  });

  it('reads a DOCX of more than 20 MB (a large embedded file) to its end', async () => {
    const docx = await buildDocx(
      [
        { text: 'Large', style: 'Heading1' },
        { text: 'The start.' },
        { text: 'The end of the large document.' },
      ],
      { padding: 21 * 1024 * 1024 },
    );

    const document = await extractDocx(docx);

    expect(docx.byteLength).toBeGreaterThanOrEqual(20 * 1024 * 1024);
    expect(document.text).toBe('# Large\n\nThe start.\n\nThe end of the large document.');
  });
});
