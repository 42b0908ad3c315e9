export type DocumentFormat = 'pdf' | 'docx' | 'html' | 'markdown' | 'text';

const EXTENSIONS: Record<string, DocumentFormat> = {
  pdf: 'pdf',
  docx: 'docx',
  html: 'html',
  htm: 'html',
  xhtml: 'html',
  md: 'markdown',
  markdown: 'markdown',
  txt: 'text',
  text: 'text',
};

const MEDIA_TYPES: Record<string, DocumentFormat> = {
  'application/pdf': 'pdf',
  'application/x-pdf': 'pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'text/html': 'html',
  'application/xhtml+xml': 'html',
  'text/markdown': 'markdown',
  'text/x-markdown': 'markdown',
  'text/plain': 'text',
};

const ascii = new TextDecoder('latin1');

function formatFromExtension(fileName: string): DocumentFormat | undefined {
  const dot = fileName.lastIndexOf('.');
  if (dot < 0) return undefined;
  return EXTENSIONS[
    fileName
      .slice(dot + 1)
      .trim()
      .toLowerCase()
  ];
}

function formatFromMediaType(mediaType: string | undefined): DocumentFormat | undefined {
  const essence = mediaType?.split(';', 1)[0]?.trim().toLowerCase();
  return essence ? MEDIA_TYPES[essence] : undefined;
}

/**
 * Sniffs the bytes. A DOCX is a zip whose entry names (stored uncompressed) include `word/`: Word writes
 * `[Content_Types].xml` first, so a short head only shows it when the file lists `word/` early or when the
 * whole file is given (its central directory sits at the end).
 */
function formatFromBytes(head: Uint8Array): DocumentFormat | undefined {
  // A PDF may start with up to 1 KB of junk before its header.
  const start = ascii.decode(head.subarray(0, 1024));
  if (start.includes('%PDF-')) return 'pdf';
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) {
    const bytes = Buffer.from(head.buffer, head.byteOffset, head.byteLength);
    return bytes.includes('word/document.xml') ? 'docx' : undefined;
  }
  // Skips a byte order mark, an XML declaration and comments.
  const text = start.replace(/^(?:\xEF\xBB\xBF|\s|<\?xml[^>]*>|<!--[\s\S]*?-->)*/, '').toLowerCase();
  if (/^<(?:!doctype html|html|head|body)[\s>]/.test(text)) return 'html';
  return undefined;
}

/** The format from the file name's extension, else the media type, else the first bytes (%PDF, PK zip with word/document.xml, <html/<!doctype); undefined when unsupported. */
export function detectDocumentFormat(
  fileName: string,
  mediaType: string | undefined,
  head: Uint8Array,
): DocumentFormat | undefined {
  return formatFromExtension(fileName) ?? formatFromMediaType(mediaType) ?? formatFromBytes(head);
}
