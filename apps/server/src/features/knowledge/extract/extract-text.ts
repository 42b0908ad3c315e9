import { decodeText } from './decode-text.ts';
import type { ExtractedDocument } from './extracted-document.ts';

/** The text of the first `# ` heading, without its optional closing `#`s. */
function findTopHeading(markdown: string): string | null {
  const line = /^ {0,3}# +\S.*$/m.exec(markdown)?.[0];
  if (!line) return null;
  const heading = line.slice(line.indexOf('#') + 1).trim();
  let end = heading.length;
  while (end > 0 && heading[end - 1] === '#') end--;
  // `# Title ##` closes the heading; `# C#` does not.
  const isClosed = end < heading.length && (end === 0 || heading[end - 1] === ' ');
  return (isClosed ? heading.slice(0, end).trim() : heading) || null;
}

/** A plain-text file as it is, decoded, with `\n` line endings; it names no title. */
export function extractPlainText(bytes: Uint8Array): ExtractedDocument {
  return { title: null, text: decodeText(bytes) };
}

/** A Markdown file as it is, decoded, with `\n` line endings; its title is its first `# ` heading. */
export function extractMarkdown(bytes: Uint8Array): ExtractedDocument {
  const text = decodeText(bytes);
  return { title: findTopHeading(text), text };
}
