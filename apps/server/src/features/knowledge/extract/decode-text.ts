import { TextDecoder } from 'node:util';

const BYTE_ORDER_MARKS: { bytes: number[]; encoding: string }[] = [
  { bytes: [0xef, 0xbb, 0xbf], encoding: 'utf-8' },
  { bytes: [0xff, 0xfe], encoding: 'utf-16le' },
  { bytes: [0xfe, 0xff], encoding: 'utf-16be' },
];

/** Windows-1252's characters for bytes 0x80-0x9f (where it differs from Latin-1; unassigned bytes stay). */
const WINDOWS_1252_HIGH = '€\x81‚ƒ„…†‡ˆ‰Š‹Œ\x8dŽ\x8f\x90‘’“”•–—˜™š›œ\x9džŸ';

/**
 * Windows-1252 by hand: Node 20's TextDecoder decodes the label as Latin-1, which turns the bytes
 * 0x80-0x9f (€, curly quotes, dashes) into control characters.
 */
function decodeWindows1252(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    .toString('latin1')
    .replace(/[\x80-\x9f]/g, (character) => WINDOWS_1252_HIGH[character.charCodeAt(0) - 0x80] ?? character);
}

function startsWith(bytes: Uint8Array, prefix: number[]): boolean {
  return prefix.every((byte, index) => bytes[index] === byte);
}

/** The `<meta charset>` (or `http-equiv` content type) an HTML document declares in its first kilobyte. */
function findDeclaredCharset(bytes: Uint8Array): string | undefined {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 1024)).toString(
    'latin1',
  );
  return /<meta\s[^>]*charset\s*=\s*["']?\s*([\w.:-]+)/i.exec(head)?.[1];
}

function createDecoder(label: string): TextDecoder | undefined {
  try {
    return new TextDecoder(label, { fatal: true });
  } catch {
    return undefined;
  }
}

function decodeRaw(bytes: Uint8Array, options: { isHtml?: boolean }): string {
  for (const mark of BYTE_ORDER_MARKS) {
    if (startsWith(bytes, mark.bytes)) {
      return new TextDecoder(mark.encoding).decode(bytes.subarray(mark.bytes.length));
    }
  }
  const declared = options.isHtml ? findDeclaredCharset(bytes) : undefined;
  const decoder = declared ? createDecoder(declared) : undefined;
  // Latin-1 and ASCII declarations mean Windows-1252 (as browsers read them); a UTF-16 declaration in a
  // page that reads as ASCII cannot be true, and such pages mean UTF-8.
  if (decoder?.encoding === 'windows-1252') return decodeWindows1252(bytes);
  if (decoder && !decoder.encoding.startsWith('utf-16')) {
    try {
      return decoder.decode(bytes);
    } catch {
      // Not what it says it is: read it as undeclared.
    }
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    // Every byte sequence is valid Windows-1252, the usual encoding of older text that is not UTF-8.
    return decodeWindows1252(bytes);
  }
}

/**
 * Text from bytes: the encoding its byte order mark names (the mark itself dropped), else for HTML the
 * charset it declares, else UTF-8, else (bytes that are not valid UTF-8) Windows-1252. Line endings
 * become `\n`.
 */
export function decodeText(bytes: Uint8Array, options: { isHtml?: boolean } = {}): string {
  return decodeRaw(bytes, options).replace(/\r\n?/g, '\n');
}
