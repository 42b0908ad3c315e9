import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { errorCatalog } from '../../src/errors/catalog.ts';

const doc = readFileSync(fileURLToPath(new URL('../../../../docs/errors.md', import.meta.url)), 'utf8');

function documentedCodes(): Map<string, number> {
  const rows = doc.split('\n').filter((line) => /^\|\s*`[A-Z_]+`\s*\|/.test(line));
  return new Map(
    rows.map((row) => {
      const [, code, status] = /^\|\s*`([A-Z_]+)`\s*\|\s*(\d{3})\s*\|/.exec(row) ?? [];
      return [code ?? '', Number(status)];
    }),
  );
}

describe('docs/errors.md', () => {
  it('lists every code of the error catalog with its status, and no other', () => {
    const documented = documentedCodes();
    const catalog = new Map(Object.entries(errorCatalog).map(([code, entry]) => [code, entry.status]));
    expect(Object.fromEntries(documented)).toEqual(Object.fromEntries(catalog));
  });
});
