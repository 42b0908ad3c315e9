import { describe, expect, it } from 'vitest';
import type { KnowledgeSource } from '../api/types.ts';
import {
  applySourceUpdates,
  describeSourceKind,
  describeSourceOrigin,
  describeSourceStatus,
  isPendingSource,
} from './knowledge-sources.ts';

const source = (fields: Partial<KnowledgeSource>): KnowledgeSource => ({
  id: 'ks1',
  chatbotId: 'cb1',
  kind: 'text',
  title: 'Handbook',
  status: 'ready',
  error: null,
  chunkCount: 3,
  createdAt: '2026-11-24T00:00:00Z',
  updatedAt: '2026-11-24T00:00:00Z',
  ...fields,
});

describe('source statuses', () => {
  it('shows queued and processing sources as work under way, to be polled', () => {
    for (const status of ['queued', 'processing'] as const) {
      expect(isPendingSource({ status })).toBe(true);
      expect(describeSourceStatus(source({ status }))).toMatchObject({ tone: 'info', isPending: true });
    }
    expect(describeSourceStatus(source({ status: 'queued' })).label).toBe('Queued');
    expect(describeSourceStatus(source({ status: 'processing' })).label).toBe('Processing');
  });

  it('shows a ready source with its chunk count', () => {
    expect(describeSourceStatus(source({ chunkCount: 1 }))).toEqual({
      label: 'Ready',
      tone: 'success',
      isPending: false,
      detail: '1 chunk',
    });
    expect(describeSourceStatus(source({ chunkCount: 1200 })).detail).toBe('1,200 chunks');
    expect(isPendingSource({ status: 'ready' })).toBe(false);
  });

  it('shows a failed source with the reason it failed', () => {
    const failed = source({
      status: 'failed',
      error: 'the host name could not be found, or it is not an address on the public internet',
    });
    expect(describeSourceStatus(failed)).toEqual({
      label: 'Failed',
      tone: 'danger',
      isPending: false,
      detail: 'the host name could not be found, or it is not an address on the public internet',
    });
    expect(describeSourceStatus(source({ status: 'failed', error: null })).detail).toContain('Re-sync');
  });
});

describe('source kinds and origins', () => {
  it('names each kind, telling a sitemap from a page', () => {
    expect(describeSourceKind({ kind: 'text' })).toBe('Text');
    expect(describeSourceKind({ kind: 'qa' })).toBe('Q&A');
    expect(describeSourceKind({ kind: 'file' })).toBe('File');
    expect(describeSourceKind({ kind: 'url', crawl: 'page' })).toBe('Web page');
    expect(describeSourceKind({ kind: 'url', crawl: 'sitemap' })).toBe('Sitemap');
  });

  it('says where a source comes from', () => {
    expect(describeSourceOrigin({ kind: 'url', url: 'https://example.com/help' })).toBe(
      'https://example.com/help',
    );
    expect(
      describeSourceOrigin({
        kind: 'file',
        file: { name: 'returns.pdf', mediaType: 'application/pdf', size: 2048 },
      }),
    ).toBe('returns.pdf · 2 KB');
    expect(describeSourceOrigin({ kind: 'qa', pairs: [{ question: 'Q', answer: 'A' }] })).toBe('1 pair');
    expect(describeSourceOrigin({ kind: 'text', content: 'Hello' })).toBe('5 characters');
    expect(describeSourceOrigin({ kind: 'text' })).toBeUndefined();
  });
});

describe('applySourceUpdates', () => {
  it('replaces the sources read again and drops the deleted ones, keeping the order', () => {
    const list = [
      source({ id: 'a', status: 'queued' }),
      source({ id: 'b' }),
      source({ id: 'c', status: 'processing' }),
    ];
    const updated = applySourceUpdates(list, [source({ id: 'a', status: 'ready', chunkCount: 9 })], ['c']);
    expect(updated.map((item) => [item.id, item.status])).toEqual([
      ['a', 'ready'],
      ['b', 'ready'],
    ]);
    expect(updated[1]).toBe(list[1]);
  });
});
