import { describe, expect, it } from 'vitest';
import { buildDocx, buildPdf } from '../../../../test/helpers/documents.ts';
import { chunkText } from '../chunk-text.ts';
import { DocumentExtractionError, detectDocumentFormat, extractDocument } from './extract-document.ts';

const utf8 = (text: string) => new TextEncoder().encode(text);

describe('extractDocument', () => {
  it('reads each format into text that chunkText cuts under the right headings', async () => {
    const expected = [{ heading: 'Hours', content: 'Open at nine.' }];
    const pdf = await buildPdf([{ lines: [{ text: 'Hours', size: 18 }, { text: 'Open at nine.' }] }]);
    const docx = await buildDocx([{ text: 'Hours', style: 'Heading1' }, { text: 'Open at nine.' }]);

    for (const [format, bytes] of [
      ['pdf', pdf],
      ['docx', docx],
      ['html', utf8('<html><body><h1>Hours</h1><p>Open at nine.</p></body></html>')],
      ['markdown', utf8('# Hours\n\nOpen at nine.\n')],
    ] as const) {
      const document = await extractDocument(format, bytes);

      expect({ format, title: document.title, chunks: chunkText(document.text) }).toEqual({
        format,
        title: 'Hours',
        chunks: expected,
      });
    }
  });

  it('decodes an HTML file with the charset it declares', async () => {
    const html = new Uint8Array([...utf8('<meta charset="windows-1252"><p>Caf'), 0xe9, ...utf8('</p>')]);

    expect(await extractDocument('html', html)).toEqual({ title: null, text: 'Café' });
  });

  it.each([
    ['pdf', 'the PDF has no extractable text (is it a scan?)'],
    ['docx', 'the DOCX document has no text'],
    ['html', 'the HTML document has no text'],
    ['markdown', 'the file has no text'],
    ['text', 'the file has no text'],
  ] as const)('fails with a clear reason for a %s document without text', async (format, reason) => {
    const empty = {
      pdf: () => buildPdf([{ lines: [] }]),
      docx: () => buildDocx([{ text: '   ' }]),
      html: async () => utf8('<html><head><script>app()</script></head><body><nav>Menu</nav></body></html>'),
      markdown: async () => utf8('\n\n  \n'),
      text: async () => new Uint8Array(0),
    }[format];

    await expect(extractDocument(format, await empty())).rejects.toThrow(new DocumentExtractionError(reason));
  });

  it('reads a file found by detectDocumentFormat from its magic bytes', async () => {
    const pdf = await buildPdf([{ lines: [{ text: 'Sniffed.' }] }]);
    const format = detectDocumentFormat('upload', 'application/octet-stream', pdf.subarray(0, 512));

    expect(format).toBe('pdf');
    expect((await extractDocument(format ?? 'text', pdf)).text).toBe('Sniffed.');
  });

  it('reads an HTML file of more than 20 MB to its end', async () => {
    const row = (n: number) => `<tr><td>Row ${n}</td><td>${'x'.repeat(60)}</td></tr>\n`;
    const rows = Array.from({ length: 250_000 }, (_, n) => row(n)).join('');
    const html = utf8(`<html><body><table>${rows}</table><p>The end.</p></body></html>`);

    const document = await extractDocument('html', html);

    expect(html.byteLength).toBeGreaterThanOrEqual(20 * 1024 * 1024);
    expect(document.text.startsWith(`Row 0 | ${'x'.repeat(60)}\nRow 1 |`)).toBe(true);
    expect(document.text.endsWith(`Row 249999 | ${'x'.repeat(60)}\n\nThe end.`)).toBe(true);
  });
});
