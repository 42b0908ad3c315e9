import { describe, expect, it } from 'vitest';
import {
  checkKnowledgeFile,
  checkWebAddress,
  emptyQaRow,
  KNOWLEDGE_FILE_ACCEPT,
  knowledgeFieldOf,
  MAX_KNOWLEDGE_FILE_BYTES,
  toQaSource,
  toTextSource,
  toUrlSource,
  validateFileSource,
  validateQaSource,
  validateTextSource,
  validateUrlSource,
} from './knowledge-form.ts';

const MB = 1024 * 1024;

describe('the Text/Markdown form', () => {
  it('needs a title and some text, and sends them as a text source', () => {
    expect(Object.keys(validateTextSource({ title: ' ', content: '\n  ' })).sort()).toEqual([
      'content',
      'title',
    ]);
    const values = { title: ' Opening hours ', content: '# Hours\nWe open at 9am.' };
    expect(validateTextSource(values)).toEqual({});
    expect(toTextSource(values)).toEqual({
      kind: 'text',
      title: 'Opening hours',
      content: '# Hours\nWe open at 9am.',
    });
  });

  it('limits the title to 200 characters and the text to 500,000', () => {
    expect(validateTextSource({ title: 'x'.repeat(201), content: 'text' }).title).toContain('200');
    expect(validateTextSource({ title: 'Big', content: 'x'.repeat(500_001) }).content).toContain('500,000');
    expect(validateTextSource({ title: 'x'.repeat(200), content: 'x'.repeat(500_000) })).toEqual({});
  });
});

describe('the Q&A form', () => {
  const pair = (question: string, answer: string) => ({ ...emptyQaRow(), question, answer });

  it('reports a missing question or answer on its row, by the path the server uses', () => {
    const errors = validateQaSource({
      title: 'FAQ',
      pairs: [pair('Parking?', 'Behind the shop.'), pair('', 'Yes'), pair('Dogs?', '  ')],
    });
    expect(Object.keys(errors).sort()).toEqual(['pairs.1.question', 'pairs.2.answer']);
  });

  it('needs at least one pair and at most 1,000', () => {
    expect(validateQaSource({ title: 'FAQ', pairs: [] }).pairs).toBeDefined();
    const many = Array.from({ length: 1_001 }, () => pair('Q', 'A'));
    expect(validateQaSource({ title: 'FAQ', pairs: many }).pairs).toContain('1,000');
  });

  it('sends the pairs trimmed, without their row keys', () => {
    expect(toQaSource({ title: 'FAQ ', pairs: [pair(' Parking? ', ' Yes. ')] })).toEqual({
      kind: 'qa',
      title: 'FAQ',
      pairs: [{ question: 'Parking?', answer: 'Yes.' }],
    });
  });

  it('gives every new row its own key', () => {
    expect(emptyQaRow().key).not.toBe(emptyQaRow().key);
  });
});

describe('the Upload form', () => {
  it('accepts the file types the server reads', () => {
    expect(KNOWLEDGE_FILE_ACCEPT).toBe('.pdf,.docx,.html,.htm,.md,.markdown,.txt');
    expect(checkKnowledgeFile({ name: 'Returns.PDF', size: 10 })).toBeUndefined();
    expect(checkKnowledgeFile({ name: 'notes', size: 10 })).toBeUndefined();
    expect(checkKnowledgeFile({ name: 'prices.xlsx', size: 10 })).toContain('“.xlsx” files cannot be read');
  });

  it('refuses a file over the limit before uploading it, naming both sizes', () => {
    expect(checkKnowledgeFile({ name: 'manual.pdf', size: MAX_KNOWLEDGE_FILE_BYTES })).toBeUndefined();
    expect(checkKnowledgeFile({ name: 'manual.pdf', size: 63.2 * MB })).toBe(
      'This file is 63.2 MB; files can be up to 50 MB. Split it or upload a shorter version.',
    );
    expect(checkKnowledgeFile({ name: 'manual.pdf', size: 2 * MB }, MB)).toContain('up to 1 MB');
  });

  it('needs a file that is not empty; the title is optional', () => {
    expect(validateFileSource({ title: '', file: undefined })).toEqual({ file: 'Choose a file to upload.' });
    expect(validateFileSource({ title: '', file: { name: 'a.md', size: 0 } }).file).toBe(
      'This file is empty.',
    );
    expect(validateFileSource({ title: '', file: { name: 'a.md', size: 3 } })).toEqual({});
  });
});

describe('the Web page form', () => {
  it('takes full http and https addresses only', () => {
    expect(checkWebAddress('https://example.com/help')).toBeUndefined();
    expect(checkWebAddress('http://127.0.0.1:3000/docs')).toBeUndefined();
    expect(checkWebAddress('')).toContain('Enter the address');
    expect(checkWebAddress('example.com/help')).toContain('https://');
    expect(checkWebAddress('ftp://example.com/file')).toContain('http and https');
    expect(checkWebAddress(`https://example.com/${'x'.repeat(2_000)}`)).toContain('2,000');
  });

  it('leaves the title out when none is given, so the page names itself', () => {
    const values = { url: ' https://example.com/sitemap.xml ', crawl: 'sitemap' as const, title: ' ' };
    expect(validateUrlSource(values)).toEqual({});
    expect(toUrlSource(values)).toEqual({
      kind: 'url',
      url: 'https://example.com/sitemap.xml',
      crawl: 'sitemap',
    });
    expect(toUrlSource({ ...values, title: 'Help centre' })).toMatchObject({ title: 'Help centre' });
  });
});

describe('knowledgeFieldOf', () => {
  it("maps the server's validation paths to the forms' fields", () => {
    expect(knowledgeFieldOf('title')).toBe('title');
    expect(knowledgeFieldOf('pairs.3.answer')).toBe('pairs.3.answer');
    expect(knowledgeFieldOf('pairs.3')).toBe('pairs.3.question');
    expect(knowledgeFieldOf('kind')).toBeUndefined();
  });
});
