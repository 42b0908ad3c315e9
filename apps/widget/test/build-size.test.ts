import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';

// The widget's weight on a customer's page, measured on the build itself: the loader every page downloads
// stays under 5 KB gzipped, and the panel (downloaded on the first open only) under 60 KB gzipped.

const WIDGET = join(import.meta.dirname, '..');
const DIST = join(WIDGET, 'dist');
const LOADER_BUDGET = 5 * 1024;
const PANEL_BUDGET = 60 * 1024;

const gzippedSize = (file: string) => gzipSync(readFileSync(file), { level: 9 }).length;

/** The files frame.html loads: its scripts and stylesheets (the script's own imports are in the one chunk). */
function panelFiles(): string[] {
  const html = readFileSync(join(DIST, 'frame.html'), 'utf8');
  const references = [...html.matchAll(/(?:src|href)="\/widget\/(assets\/[^"]+)"/g)].map(
    (match) => match[1] ?? '',
  );
  return [join(DIST, 'frame.html'), ...references.map((reference) => join(DIST, reference))];
}

describe('the widget build', () => {
  beforeAll(async () => {
    if (!existsSync(join(DIST, 'widget.js')) || !existsSync(join(DIST, 'frame.html'))) {
      await promisify(execFile)('npm', ['run', 'build'], { cwd: WIDGET, timeout: 120_000 });
    }
  }, 150_000);

  it('keeps the loader, widget.js, under 5 KB gzipped and free of imports', () => {
    const loader = join(DIST, 'widget.js');
    expect(gzippedSize(loader)).toBeLessThan(LOADER_BUDGET);
    // A classic script: a module statement would be a syntax error in `<script src=... async>`.
    expect(readFileSync(loader, 'utf8')).not.toMatch(/^\s*(import|export)\s/m);
  });

  it('keeps everything frame.html loads under 60 KB gzipped, with no inline script or style', () => {
    const files = panelFiles();
    expect(files.some((file) => file.endsWith('.js'))).toBe(true);
    expect(files.some((file) => file.endsWith('.css'))).toBe(true);
    const total = files.reduce((sum, file) => sum + gzippedSize(file), 0);
    expect(total).toBeLessThan(PANEL_BUDGET);
    // The frame's CSP is `script-src 'self'; style-src 'self'`: anything inline would be refused.
    const html = readFileSync(join(DIST, 'frame.html'), 'utf8');
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/<style|\sstyle=/);
  });
});
