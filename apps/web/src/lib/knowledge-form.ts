import type { CreateKnowledgeSource, KNOWLEDGE_FILE_EXTENSIONS } from '../api/types.ts';
import { formatBytes, formatNumber } from './format.ts';
import type { FieldErrors } from './validation.ts';

// The "Add knowledge" forms: their values, the contract's rules checked before a round trip, and the
// request bodies. Field errors are keyed by the paths the server's validation details use
// (`title`, `pairs.2.answer`), so that its answers land on the same fields.

/** The four ways to add knowledge, in the order the dialog offers them. */
export type KnowledgeFormKind = 'text' | 'qa' | 'file' | 'url';

export type KnowledgeFieldErrors = FieldErrors<string>;

export interface TextSourceValues {
  title: string;
  content: string;
}

export interface QaRow {
  /** Identifies the row while it is edited; never sent. */
  key: string;
  question: string;
  answer: string;
}

export interface QaSourceValues {
  title: string;
  pairs: QaRow[];
}

export interface FileSourceValues {
  title: string;
  file: { name: string; size: number } | undefined;
}

export interface UrlSourceValues {
  url: string;
  crawl: 'page' | 'sitemap';
  title: string;
}

type FileExtension = (typeof KNOWLEDGE_FILE_EXTENSIONS)[number];

// Spelled out here (the dashboard imports only types from the contracts); the Record makes the
// compiler list every extension the contract accepts.
const FILE_EXTENSIONS = Object.keys({
  pdf: true,
  docx: true,
  html: true,
  htm: true,
  md: true,
  markdown: true,
  txt: true,
} satisfies Record<FileExtension, true>);

/** The file input's `accept`: ".pdf,.docx,.html,.htm,.md,.markdown,.txt". */
export const KNOWLEDGE_FILE_ACCEPT = FILE_EXTENSIONS.map((extension) => `.${extension}`).join(',');

/** The server's default upload limit (POLLYBOT_KNOWLEDGE_MAX_FILE_MB); a lower one answers 413. */
export const MAX_KNOWLEDGE_FILE_BYTES = 50 * 1024 * 1024;

const MAX_TITLE = 200;
const MAX_CONTENT = 500_000;
const MAX_PAIRS = 1_000;
const MAX_QUESTION = 2_000;
const MAX_ANSWER = 10_000;
const MAX_URL = 2_000;

let rowSequence = 0;

/** An empty question-and-answer row. */
export function emptyQaRow(): QaRow {
  rowSequence += 1;
  return { key: `pair-${rowSequence}`, question: '', answer: '' };
}

function checkTitle(title: string, isRequired: boolean): string | undefined {
  const trimmed = title.trim();
  if (!trimmed) return isRequired ? 'Give the source a title: replies name it when they cite it.' : undefined;
  if (trimmed.length > MAX_TITLE) return `Keep the title under ${MAX_TITLE} characters.`;
  return undefined;
}

/** Collects the errors that are set. */
function errorsOf(entries: Array<[string, string | undefined]>): KnowledgeFieldErrors {
  const errors: KnowledgeFieldErrors = {};
  for (const [path, message] of entries) if (message) errors[path] = message;
  return errors;
}

/** Errors of the Text/Markdown form, by field; empty when it can be sent. */
export function validateTextSource(values: TextSourceValues): KnowledgeFieldErrors {
  let content: string | undefined;
  if (!values.content.trim()) content = 'Paste or write the text the chatbot should answer from.';
  else if (values.content.length > MAX_CONTENT)
    content = `The text is ${formatNumber(values.content.length)} characters; the limit is ${formatNumber(MAX_CONTENT)}. Split it into several sources.`;
  return errorsOf([
    ['title', checkTitle(values.title, true)],
    ['content', content],
  ]);
}

/** The error of one side of a Q&A pair, or undefined: it is required and has a length limit. */
function checkPairPart(text: string, part: 'question' | 'answer', max: number): string | undefined {
  const trimmed = text.trim();
  if (!trimmed) return `Write the ${part}, or remove this pair.`;
  return trimmed.length > max ? `Keep the ${part} under ${formatNumber(max)} characters.` : undefined;
}

/** Errors of the Q&A form: each row must have both its question and its answer. */
export function validateQaSource(values: QaSourceValues): KnowledgeFieldErrors {
  const entries: Array<[string, string | undefined]> = [['title', checkTitle(values.title, true)]];
  if (values.pairs.length === 0) entries.push(['pairs', 'Add at least one question with its answer.']);
  if (values.pairs.length > MAX_PAIRS)
    entries.push([
      'pairs',
      `A source holds up to ${formatNumber(MAX_PAIRS)} pairs. Split them into several sources.`,
    ]);
  values.pairs.forEach((pair, index) => {
    entries.push([`pairs.${index}.question`, checkPairPart(pair.question, 'question', MAX_QUESTION)]);
    entries.push([`pairs.${index}.answer`, checkPairPart(pair.answer, 'answer', MAX_ANSWER)]);
  });
  return errorsOf(entries);
}

/** An error sentence for a chosen file, or undefined: checked before uploading a byte. */
export function checkKnowledgeFile(
  file: { name: string; size: number } | undefined,
  maxBytes: number = MAX_KNOWLEDGE_FILE_BYTES,
): string | undefined {
  if (!file) return 'Choose a file to upload.';
  const dot = file.name.lastIndexOf('.');
  const extension = dot > 0 ? file.name.slice(dot + 1).toLowerCase() : '';
  // A name without an extension is left to the server, which also recognises a type by its content.
  if (extension && !FILE_EXTENSIONS.includes(extension))
    return `“.${extension}” files cannot be read. Upload a PDF, DOCX, HTML, Markdown or plain-text file.`;
  if (file.size === 0) return 'This file is empty.';
  if (file.size > maxBytes)
    return `This file is ${formatBytes(file.size)}; files can be up to ${formatBytes(maxBytes)}. Split it or upload a shorter version.`;
  return undefined;
}

/** Errors of the Upload form. */
export function validateFileSource(
  values: FileSourceValues,
  maxBytes: number = MAX_KNOWLEDGE_FILE_BYTES,
): KnowledgeFieldErrors {
  return errorsOf([
    ['title', checkTitle(values.title, false)],
    ['file', checkKnowledgeFile(values.file, maxBytes)],
  ]);
}

/** An error sentence for a web address, or undefined. */
export function checkWebAddress(text: string): string | undefined {
  const trimmed = text.trim();
  if (!trimmed) return 'Enter the address of the page or sitemap.';
  if (trimmed.length > MAX_URL) return `Keep the address under ${formatNumber(MAX_URL)} characters.`;
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return 'Enter a full address, starting with https:// or http://.';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return 'Only http and https addresses can be imported.';
  return undefined;
}

/** Errors of the Web page / sitemap form. */
export function validateUrlSource(values: UrlSourceValues): KnowledgeFieldErrors {
  return errorsOf([
    ['url', checkWebAddress(values.url)],
    ['title', checkTitle(values.title, false)],
  ]);
}

/** The body of POST /knowledge for a valid Text/Markdown form. */
export function toTextSource(values: TextSourceValues): CreateKnowledgeSource {
  return { kind: 'text', title: values.title.trim(), content: values.content };
}

/** The body of POST /knowledge for a valid Q&A form. */
export function toQaSource(values: QaSourceValues): CreateKnowledgeSource {
  return {
    kind: 'qa',
    title: values.title.trim(),
    pairs: values.pairs.map((pair) => ({ question: pair.question.trim(), answer: pair.answer.trim() })),
  };
}

/** The body of POST /knowledge for a valid Web page / sitemap form; no title lets the server use the page's own. */
export function toUrlSource(values: UrlSourceValues): CreateKnowledgeSource {
  const title = values.title.trim();
  return { kind: 'url', url: values.url.trim(), crawl: values.crawl, ...(title ? { title } : {}) };
}

const PAIR_FIELD = /^pairs\.(\d+)(?:\.(question|answer))?$/;

/** Maps a path of the server's validation details to a field of the add-knowledge forms. */
export function knowledgeFieldOf(path: string): string | undefined {
  if (['title', 'content', 'url', 'crawl', 'file', 'pairs'].includes(path)) return path;
  const pair = PAIR_FIELD.exec(path);
  if (!pair) return undefined;
  // A pair without question or answer named is reported on its question.
  return `pairs.${pair[1]}.${pair[2] ?? 'question'}`;
}
