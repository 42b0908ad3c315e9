import { TextDecoder } from 'node:util';

/** What 0x80-0x9F mean in windows-1252 (the encoding the labels iso-8859-1, latin1 and ascii name too). */
const WINDOWS_1252_HIGH =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

/** The media type (lower case) and the charset parameter of a Content-Type header. */
export function parseContentType(header: string | null): { mediaType: string; charset: string | undefined } {
  const [mediaType = '', ...parameters] = (header ?? '').split(';');
  const charset = parameters
    .map((parameter) => parameter.trim().match(/^charset\s*=\s*"?([^";\s]+)"?$/i)?.[1])
    .find((value) => value !== undefined);
  return { mediaType: mediaType.trim().toLowerCase(), charset };
}

/** The charset an HTML page declares in a <meta> tag near its top, as many pages do only there. */
export function findHtmlMetaCharset(bytes: Uint8Array): string | undefined {
  const head = Buffer.from(bytes.subarray(0, 2048)).toString('latin1');
  return head.match(/<meta\s[^>]*charset\s*=\s*["']?\s*([\w.:-]+)/i)?.[1];
}

/** Text from bytes in the named charset (UTF-8 when none is named or the name is unknown); line endings become `\n`. */
export function decodeWebText(bytes: Uint8Array, charset: string | undefined): string {
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(charset ?? 'utf-8');
  } catch {
    decoder = new TextDecoder('utf-8'); // an unknown name: UTF-8 is the likeliest truth
  }
  let text = decoder.decode(bytes);
  // Node 20.18.3 and later decode windows-1252 as ISO-8859-1, leaving C1 controls where the page has
  // curly quotes, dashes and the euro sign (nodejs/node#60888); map them as the standard says.
  if (decoder.encoding === 'windows-1252') {
    text = text.replace(
      /[\u0080-\u009f]/g,
      (character) => WINDOWS_1252_HIGH[character.charCodeAt(0) - 0x80] ?? character,
    );
  }
  return text.replace(/\r\n?/g, '\n');
}
