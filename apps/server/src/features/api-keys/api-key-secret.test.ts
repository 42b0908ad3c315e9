import { describe, expect, it } from 'vitest';
import { generateApiKey, hashApiKey, isWellFormedApiKey, readBearerToken } from './api-key-secret.ts';

describe('generateApiKey', () => {
  it('makes sk-workspace_ keys with at least 32 base62 characters', () => {
    const { key } = generateApiKey();
    expect(key).toMatch(/^sk-workspace_[0-9A-Za-z]{32,}$/);
    expect(isWellFormedApiKey(key)).toBe(true);
  });

  it('keeps only a short display prefix and the SHA-256 hash, never the secret', () => {
    const { key, prefix, hash } = generateApiKey();
    expect(key.startsWith(prefix)).toBe(true);
    expect(prefix.length).toBeLessThan(key.length - 30);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).toBe(hashApiKey(key));
    expect(hash).not.toContain(key.slice(13));
  });

  it('never repeats a key', () => {
    const keys = new Set(Array.from({ length: 500 }, () => generateApiKey().key));
    expect(keys.size).toBe(500);
  });

  it('uses every base62 character', () => {
    const seen = new Set(
      Array.from({ length: 200 }, () => generateApiKey().key.slice('sk-workspace_'.length)).join(''),
    );
    expect(seen.size).toBe(62);
  });
});

describe('readBearerToken', () => {
  it.each([
    [undefined, undefined],
    ['', undefined],
    ['Bearer', undefined],
    ['Basic abc', undefined],
    ['Bearer  sk-workspace_abc', 'sk-workspace_abc'],
    ['bearer sk-workspace_abc', 'sk-workspace_abc'],
    ['Bearer a b', undefined],
  ])('reads %j as %j', (header, expected) => {
    expect(readBearerToken(header)).toBe(expected);
  });
});

describe('isWellFormedApiKey', () => {
  it.each([
    'sk-workspace_short',
    'sk-other_0123456789012345678901234567890123456789',
    'sk-workspace_01234567890123456789012345678901234567!!',
    `sk-workspace_${'a'.repeat(129)}`,
  ])('rejects %s', (key) => {
    expect(isWellFormedApiKey(key)).toBe(false);
  });
});
