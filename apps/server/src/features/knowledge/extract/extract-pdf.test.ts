import { describe, expect, it } from 'vitest';
import { buildPasswordProtectedPdf, buildPdf } from '../../../../test/helpers/documents.ts';
import { chunkText } from '../chunk-text.ts';
import { extractPdf } from './extract-pdf.ts';
import { DocumentExtractionError } from './extracted-document.ts';

const body = (text: string) => ({ text });

describe('extractPdf', () => {
  it('reads every page in order, with the title from the metadata', async () => {
    const pdf = await buildPdf(
      [
        { lines: [body('Page one says hello.')] },
        { lines: [body('Page two says more.')] },
        { lines: [body('Page three says goodbye.')] },
      ],
      { title: 'Greetings' },
    );

    const document = await extractPdf(pdf);

    expect(document).toEqual({
      title: 'Greetings',
      text: 'Page one says hello.\n\nPage two says more.\n\nPage three says goodbye.',
    });
  });

  it('makes larger lines headings (largest #), joins wrapped lines into paragraphs and bullets into items', async () => {
    const pdf = await buildPdf([
      {
        lines: [
          { text: 'Annual Report', size: 24 },
          { text: 'Introduction', size: 16 },
          body('This paragraph is wrapped onto'),
          body('a second line, with a hyphen-'),
          body('ated word.'),
          body(''),
          body('A second paragraph after a gap.'),
          body('• First point'),
          body('• Second point'),
          { text: 'Findings', size: 16 },
          body('Sales grew.'),
        ],
      },
    ]);

    const { title, text } = await extractPdf(pdf);

    expect(text).toBe(
      [
        '# Annual Report',
        '## Introduction',
        'This paragraph is wrapped onto a second line, with a hyphenated word.',
        'A second paragraph after a gap.',
        '- First point\n- Second point',
        '## Findings',
        'Sales grew.',
      ].join('\n\n'),
    );
    expect(title).toBe('Annual Report');
    expect(chunkText(text).map((chunk) => chunk.heading)).toEqual(['Introduction', 'Findings']);
  });

  it('fails with a clear reason for a password-protected PDF', async () => {
    const pdf = await buildPasswordProtectedPdf();

    await expect(extractPdf(pdf)).rejects.toThrow(
      new DocumentExtractionError('the PDF is password-protected'),
    );
  });

  it.each([
    ['random bytes', new TextEncoder().encode('this is not a PDF at all')],
    ['an empty file', new Uint8Array(0)],
  ])('fails with a clear reason for %s', async (_, bytes) => {
    await expect(extractPdf(bytes)).rejects.toThrow(
      new DocumentExtractionError('the file is not a valid PDF'),
    );
  });

  it('fails with a clear reason for a truncated PDF', async () => {
    const pdf = await buildPdf([{ lines: [body('Cut short.')] }]);

    await expect(extractPdf(pdf.subarray(0, pdf.length / 2))).rejects.toThrow(
      new DocumentExtractionError('the file is not a valid PDF'),
    );
  });

  it('gives empty text for pages without text (a scan); extractDocument turns that into an error', async () => {
    const pdf = await buildPdf([{ lines: [] }, { lines: [], imageBytes: 30_000 }]);

    expect(await extractPdf(pdf)).toEqual({ title: null, text: '' });
  });

  it('gives up on a PDF that takes longer than its time limit', async () => {
    const pdf = await buildPdf([{ lines: [body('Slow.')] }]);

    await expect(extractPdf(pdf, { timeMs: 1, memoryMb: 256 })).rejects.toThrow(
      new DocumentExtractionError('the PDF took too long to read'),
    );
  });

  it('gives up on a PDF that needs more memory than its limit, instead of exhausting the server', async () => {
    const pdf = await buildPdf([{ lines: [body('Heavy.')] }]);

    await expect(extractPdf(pdf, { timeMs: 60_000, memoryMb: 8 })).rejects.toThrow(
      new DocumentExtractionError('the PDF needs too much memory to read'),
    );
  });

  it('leaves the caller’s bytes intact (pdf.js detaches the buffer it reads)', async () => {
    const pdf = await buildPdf([{ lines: [body('Still here.')] }]);
    const buffer = Buffer.from(pdf);

    await extractPdf(buffer);

    expect(buffer.byteLength).toBe(pdf.byteLength);
    expect(buffer.equals(pdf)).toBe(true);
  });

  it('reads a PDF of more than 20 MB (large images) to its last page', async () => {
    const pages = Array.from({ length: 60 }, (_, index) => ({
      lines: [{ text: `Chapter ${index + 1}`, size: 16 }, body(`Text of chapter ${index + 1}.`)],
      imageBytes: index % 10 === 0 ? 3.5 * 1024 * 1024 : undefined,
    }));
    pages.push({ lines: [body('The end of the large document.')], imageBytes: undefined });
    const pdf = await buildPdf(pages, { title: 'Large' });

    const document = await extractPdf(pdf);

    expect(pdf.byteLength).toBeGreaterThanOrEqual(20 * 1024 * 1024);
    expect(document.title).toBe('Large');
    expect(document.text.startsWith('# Chapter 1\n\nText of chapter 1.\n\n# Chapter 2')).toBe(true);
    expect(document.text).toContain('# Chapter 60\n\nText of chapter 60.');
    expect(document.text.endsWith('The end of the large document.')).toBe(true);
  });

  it('fails a PDF of more pages than the page limit before reading them, naming the limit', async () => {
    const pdf = await buildPdf([1, 2, 3].map((page) => ({ lines: [body(`Page ${page}.`)] })));
    await expect(extractPdf(pdf, undefined, { maxPdfPages: 2 })).rejects.toThrow(
      new DocumentExtractionError('the PDF has 3 pages, over the limit of 2 pages per source'),
    );
    expect((await extractPdf(pdf, undefined, { maxPdfPages: 3 })).text).toContain('Page 3.');
  });
});
