import DOMPurify from 'dompurify';
import { Marked, type Token } from 'marked';
import { CodeBlock } from './copy.tsx';
import './markdown.css';

// A reply's Markdown as safe elements. Model output is untrusted (a prompt can make it echo anything), so:
// raw HTML in the Markdown is shown as text, never parsed; the rendered HTML then goes through DOMPurify
// with a short list of tags and attributes; a link is kept only if it is absolute http(s), and opens in a
// new tab with rel="noopener noreferrer"; images are not rendered (their alt text is). Code blocks are
// React elements with a Copy button. The same rules as the website widget's (apps/widget).

const BLOCK_TAGS = [
  'p',
  'br',
  'strong',
  'em',
  'del',
  'code',
  'pre',
  'blockquote',
  'ul',
  'ol',
  'li',
  'a',
  'hr',
];
const HEADING_TAGS = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'];
const TABLE_TAGS = ['table', 'thead', 'tbody', 'tr', 'th', 'td'];
const ALLOWED_TAGS = [...BLOCK_TAGS, ...HEADING_TAGS, ...TABLE_TAGS];
/** A one-line preview keeps emphasis and code only; a link shows its text. */
const INLINE_TAGS = ['strong', 'em', 'del', 'code'];
const ALLOWED_ATTR = ['href', 'title', 'start', 'align'];

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);

const marked = new Marked({
  gfm: true,
  breaks: true,
  renderer: {
    html: ({ text }) => escapeHtml(text),
    image: ({ text }) => escapeHtml(text),
  },
});

function isSafeLink(href: string): boolean {
  try {
    const url = new URL(href);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

DOMPurify.addHook('afterSanitizeAttributes', (node) => {
  if (node.tagName !== 'A') return;
  if (!isSafeLink(node.getAttribute('href') ?? '')) {
    node.removeAttribute('href');
    return;
  }
  node.setAttribute('target', '_blank');
  node.setAttribute('rel', 'noopener noreferrer');
});

const sanitize = (html: string, tags: string[]) =>
  DOMPurify.sanitize(html, { ALLOWED_TAGS: tags, ALLOWED_ATTR, ALLOW_DATA_ATTR: false });

type Block = { kind: 'html'; html: string } | { kind: 'code'; code: string; language: string };

/** The Markdown's blocks: fenced or indented code on its own (for its Copy button), the rest as sanitized HTML. */
function toBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  let pending: Token[] = [];
  const flush = () => {
    if (pending.length === 0) return;
    blocks.push({ kind: 'html', html: sanitize(marked.parser(pending).trim(), ALLOWED_TAGS) });
    pending = [];
  };
  for (const token of marked.lexer(markdown)) {
    if (token.type === 'code') {
      flush();
      blocks.push({ kind: 'code', code: String(token.text), language: String(token.lang ?? '') });
    } else {
      pending.push(token);
    }
  }
  flush();
  return blocks;
}

/** Renders a reply's Markdown: lists, emphasis, tables, http(s) links, code blocks with Copy; never raw HTML. */
export function Markdown({ text }: { text: string }) {
  const blocks = toBlocks(text);
  return (
    <div className="markdown">
      {blocks.map((block, index) =>
        block.kind === 'code' ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: blocks have no identity but their place
          <CodeBlock key={index} code={block.code} label={block.language} />
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: blocks have no identity but their place
          // biome-ignore lint/security/noDangerouslySetInnerHtml: sanitized by DOMPurify above
          <div key={index} className="markdown__html" dangerouslySetInnerHTML={{ __html: block.html }} />
        ),
      )}
    </div>
  );
}

/** A Markdown message on one line (an inbox preview): emphasis and code kept, every other mark as text. */
export function InlineMarkdown({ text }: { text: string }) {
  const html = sanitize(marked.parseInline(text.replace(/\s+/g, ' '), { async: false }), INLINE_TAGS);
  // biome-ignore lint/security/noDangerouslySetInnerHtml: sanitized by DOMPurify above
  return <span className="markdown-inline" dangerouslySetInnerHTML={{ __html: html }} />;
}
