import { describe, expect, it } from 'vitest';
import { decodeWebText, findHtmlMetaCharset, parseContentType } from './decode-web-text.ts';

describe('parseContentType', () => {
  it('gives the media type in lower case and the charset parameter', () => {
    expect(parseContentType('Text/HTML; Charset="ISO-8859-1"')).toEqual({
      mediaType: 'text/html',
      charset: 'ISO-8859-1',
    });
    expect(parseContentType('text/plain;format=flowed; charset=utf-8')).toEqual({
      mediaType: 'text/plain',
      charset: 'utf-8',
    });
    expect(parseContentType('application/pdf')).toEqual({ mediaType: 'application/pdf', charset: undefined });
    expect(parseContentType(null)).toEqual({ mediaType: '', charset: undefined });
  });
});

describe('findHtmlMetaCharset', () => {
  it('finds <meta charset> and the http-equiv form', () => {
    const encode = (html: string) => new TextEncoder().encode(html);

    expect(findHtmlMetaCharset(encode('<head><meta charset="windows-1252">'))).toBe('windows-1252');
    expect(
      findHtmlMetaCharset(encode('<meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS">')),
    ).toBe('Shift_JIS');
    expect(findHtmlMetaCharset(encode('<p>charset=nothing</p>'))).toBeUndefined();
  });
});

describe('decodeWebText', () => {
  it('decodes windows-1252 and the labels that name it as the standard says, curly quotes and euro sign included', () => {
    const bytes = new Uint8Array([
      0x93, 0x43, 0x61, 0x66, 0xe9, 0x94, 0x20, 0x80, 0x35, 0x20, 0x96, 0x20, 0x92,
    ]);

    for (const label of ['windows-1252', 'iso-8859-1', 'latin1', 'us-ascii']) {
      expect(decodeWebText(bytes, label)).toBe('\u201cCaf\u00e9\u201d \u20ac5 \u2013 \u2019');
    }
  });

  it('decodes other charsets, UTF-8 by default and for names it does not know, with \\n line endings', () => {
    expect(decodeWebText(new Uint8Array([0x82, 0xa0]), 'Shift_JIS')).toBe('\u3042');
    expect(decodeWebText(new TextEncoder().encode('Caf\u00e9\r\nline'), undefined)).toBe('Caf\u00e9\nline');
    expect(decodeWebText(new TextEncoder().encode('Caf\u00e9'), 'no-such-charset')).toBe('Caf\u00e9');
  });
});
