import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The dashboard's styles live beside the component or page they style (components/button.css, imported by
// button.tsx), with the shared foundations in styles/. These checks keep it that way: no sheet grows past
// the size at which a file is split, and none is left behind unimported (its rules would silently vanish).

const SOURCE = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const MAX_LINES = 500;

/** Lines as an editor numbers them: a final newline does not start another line. */
function countLines(text: string): number {
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

function filesUnder(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    return entry.isDirectory() ? filesUnder(path) : [path];
  });
}

const files = filesUnder(SOURCE);
const stylesheets = files.filter((file) => file.endsWith('.css'));

describe('the dashboard stylesheets', () => {
  it('are found', () => {
    expect(stylesheets.length).toBeGreaterThan(0);
  });

  it(`have at most ${MAX_LINES} lines each`, () => {
    const tooLong = stylesheets
      .map((file) => ({ file: relative(SOURCE, file), lines: countLines(readFileSync(file, 'utf8')) }))
      .filter(({ lines }) => lines > MAX_LINES);
    expect(tooLong).toEqual([]);
  });

  it('are each imported by a module of the app', () => {
    const modules = files.filter((file) => /\.tsx?$/.test(file) && !file.endsWith('.test.ts'));
    const imported = new Set(
      modules.flatMap((module) =>
        Array.from(readFileSync(module, 'utf8').matchAll(/^import '(\.[^']+\.css)';$/gm), (match) =>
          resolve(dirname(module), match[1] as string),
        ),
      ),
    );
    const unimported = stylesheets.filter((file) => !imported.has(file)).map((file) => basename(file));
    expect(unimported).toEqual([]);
  });
});
