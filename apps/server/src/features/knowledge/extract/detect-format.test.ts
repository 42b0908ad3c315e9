import { describe, expect, it } from 'vitest';
import { buildDocx, buildPdf } from '../../../../test/helpers/documents.ts';
import { detectDocumentFormat } from './detect-format.ts';

const bytes = (text: string) => new TextEncoder().encode(text);
const none = new Uint8Array(0);

describe('detectDocumentFormat', () => {
  it.each([
    ['report.pdf', 'pdf'],
    ['Letter.DOCX', 'docx'],
    ['page.html', 'html'],
    ['page.htm', 'html'],
    ['page.xhtml', 'html'],
    ['README.md', 'markdown'],
    ['notes.markdown', 'markdown'],
    ['notes.txt', 'text'],
  ])('reads %s by its extension as %s', (fileName, format) => {
    expect(detectDocumentFormat(fileName, undefined, none)).toBe(format);
  });

  it('trusts the extension over the media type and the bytes', () => {
    expect(detectDocumentFormat('notes.txt', 'application/pdf', bytes('%PDF-1.7'))).toBe('text');
  });

  it.each([
    ['application/pdf', 'pdf'],
    ['application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'docx'],
    ['text/html; charset=utf-8', 'html'],
    ['application/xhtml+xml', 'html'],
    ['text/markdown', 'markdown'],
    ['TEXT/PLAIN', 'text'],
  ])('falls back to the media type %s as %s when the extension says nothing', (mediaType, format) => {
    expect(detectDocumentFormat('upload', mediaType, none)).toBe(format);
    expect(detectDocumentFormat('upload.bin', mediaType, none)).toBe(format);
  });

  it('sniffs a PDF by its %PDF header', async () => {
    const pdf = await buildPdf([{ lines: [{ text: 'Hello' }] }]);

    expect(detectDocumentFormat('upload', 'application/octet-stream', pdf.subarray(0, 512))).toBe('pdf');
  });

  it('sniffs a DOCX by a zip entry under word/ (the whole file shows its central directory)', async () => {
    const docx = await buildDocx([{ text: 'Hello' }]);

    expect(detectDocumentFormat('upload', undefined, docx)).toBe('docx');
  });

  it('does not take any zip for a DOCX', () => {
    const zip = new Uint8Array([0x50, 0x4b, 0x03, 0x04, ...bytes('xl/workbook.xml')]);

    expect(detectDocumentFormat('upload', undefined, zip)).toBeUndefined();
  });

  it.each([
    '<!DOCTYPE html><html><body>Hi</body></html>',
    '\uFEFF  <html lang="en"><body>Hi</body></html>',
    '<?xml version="1.0"?>\n<!-- generated -->\n<html xmlns="http://www.w3.org/1999/xhtml"></html>',
  ])('sniffs HTML by its opening tag: %s', (html) => {
    expect(detectDocumentFormat('upload', undefined, bytes(html))).toBe('html');
  });

  it('gives undefined for a format it does not support', () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

    expect(detectDocumentFormat('photo.png', 'image/png', png)).toBeUndefined();
    expect(detectDocumentFormat('data', undefined, bytes('just words'))).toBeUndefined();
  });
});
