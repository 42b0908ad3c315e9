import { describe, expect, it } from 'vitest';
import { decodeText } from './decode-text.ts';
import { extractMarkdown, extractPlainText } from './extract-text.ts';

const utf8 = (text: string) => new TextEncoder().encode(text);

describe('decodeText', () => {
  it('decodes UTF-8, dropping a byte order mark and normalising line endings', () => {
    expect(decodeText(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('Café\r\nline\rthree')]))).toBe(
      'Café\nline\nthree',
    );
  });

  it('decodes UTF-16 named by its byte order mark', () => {
    const text = Buffer.from('Grüße', 'utf16le');

    expect(decodeText(new Uint8Array([0xff, 0xfe, ...text]))).toBe('Grüße');
  });

  it('falls back to Windows-1252 for bytes that are not valid UTF-8', () => {
    // "Café – 5 €" as Windows-1252
    const latin = new Uint8Array([0x43, 0x61, 0x66, 0xe9, 0x20, 0x96, 0x20, 0x35, 0x20, 0x80]);

    expect(decodeText(latin)).toBe('Café – 5 €');
  });

  it('uses the charset an HTML page declares', () => {
    const html = new Uint8Array([...utf8('<meta charset="iso-8859-1"><p>'), 0xe9, ...utf8('</p>')]);

    expect(decodeText(html, { isHtml: true })).toBe('<meta charset="iso-8859-1"><p>é</p>');
  });
});

describe('extractPlainText', () => {
  it('returns the text as it is, without a title', () => {
    expect(extractPlainText(utf8('# Not parsed\r\n\r\nJust text.'))).toEqual({
      title: null,
      text: '# Not parsed\n\nJust text.',
    });
  });
});

describe('extractMarkdown', () => {
  it('returns the text as it is, titled by its first "# " heading', () => {
    const markdown = 'Intro line\n\n## Section\n\n# Main Title ##\n\nBody with #hashtag.';

    expect(extractMarkdown(utf8(markdown))).toEqual({ title: 'Main Title', text: markdown });
  });

  it('keeps a closing # that belongs to the heading, and has no title without a # heading', () => {
    expect(extractMarkdown(utf8('# Learning C#\n')).title).toBe('Learning C#');
    expect(extractMarkdown(utf8('#hashtag\n\n## Only level two')).title).toBeNull();
  });
});
