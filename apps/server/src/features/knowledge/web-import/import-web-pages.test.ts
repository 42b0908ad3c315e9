import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPdf } from '../../../../test/helpers/documents.ts';
import { importWebPages, WebImportError, type WebImportOptions } from './import-web-pages.ts';
import { UNREACHABLE_HOST_REASON } from './safe-fetch.ts';

const options: WebImportOptions = {
  allowPrivateNetworks: true,
  maxPages: 200,
  maxBytesPerPage: 1024 * 1024,
  timeoutMs: 5_000,
  concurrency: 4,
  userAgent: 'PollyBot/0.1 (+knowledge import)',
};

const aboutHtml = `<!doctype html>
<html><head><title>About the bakery</title></head>
<body>
  <nav><a href="/">Home</a> <a href="/shop">Shop online</a></nav>
  <main>
    <h1>About us</h1>
    <p>We bake bread every morning from six o'clock.</p>
    <h2>Delivery</h2>
    <p>Orders above twenty euros are delivered for free.</p>
  </main>
  <footer>Copyright 2024 The Bakery, all rights reserved</footer>
</body></html>`;

const urlset = (paths: string[]) =>
  `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
${paths.map((path) => `  <url><loc>${path.startsWith('http') ? path : site(path)}</loc></url>`).join('\n')}
</urlset>`;

const sitemapIndex = (paths: string[]) =>
  `<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
${paths.map((path) => `  <sitemap><loc>${site(path)}</loc></sitemap>`).join('\n')}
</sitemapindex>`;

let server: Server;
let port: number;
const received: string[] = [];
const routes = new Map<string, (request: IncomingMessage, response: ServerResponse) => void>();
const site = (path: string) => `http://127.0.0.1:${port}${path}`;

/** Serves fixed content; `headers` may override the content type. */
function serve(
  path: string,
  status: number,
  body: string | Uint8Array,
  headers: Record<string, string> = {},
) {
  routes.set(path, (_request, response) => {
    response.writeHead(status, { 'content-type': 'text/html; charset=utf-8', ...headers }).end(body);
  });
}

function redirect(path: string, location: string) {
  routes.set(path, (_request, response) => response.writeHead(302, { location }).end());
}

// Pages of the "gated" sitemap are answered only once two of them are being fetched together (so the
// fetches must overlap), and a moment later, which would let a third fetch in if the limit leaked.
let onSlowRequest: (() => void) | undefined;
let gateInFlight = 0;
let gateMostInFlight = 0;
let gateWaiting: (() => void)[] = [];

const buildReturnsPdf = (sentence: string) =>
  buildPdf([{ lines: [{ text: sentence }] }], { title: 'Returns policy' });

beforeAll(async () => {
  server = createServer((request, response) => {
    const path = request.url ?? '/';
    received.push(path);
    const route = routes.get(path);
    if (route) route(request, response);
    else response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  });
  // Both families, so that [::1] would be answered if the import let it through.
  await new Promise<void>((resolve) => server.listen(0, '::', resolve));
  port = (server.address() as AddressInfo).port;

  serve('/about.html', 200, aboutHtml);
  serve('/hours.txt', 200, 'We open at nine and close at six.\n', { 'content-type': 'text/plain' });
  serve('/notes.md', 200, '# Notes\n\nSourdough needs a day.', {
    'content-type': 'text/markdown; charset=utf-8',
  });
  serve('/returns.pdf', 200, await buildReturnsPdf('Returns are accepted within thirty days.'), {
    'content-type': 'application/pdf',
  });
  serve(
    '/latin1.html',
    200,
    Buffer.from(
      '<html><head><title>Café</title></head><body><p>Crème brûlée à la carte.</p></body></html>',
      'latin1',
    ),
    { 'content-type': 'text/html; charset=ISO-8859-1' },
  );
  serve(
    '/meta-charset.html',
    200,
    // 0x92 is a right single quotation mark in windows-1252, and not valid UTF-8.
    Buffer.concat([
      Buffer.from('<html><head><meta charset="windows-1252"><title>Menu</title></head><body><p>Chef'),
      Buffer.from([0x92]),
      Buffer.from('s tart</p></body></html>'),
    ]),
    { 'content-type': 'text/html' },
  );
  serve('/logo.png', 200, new Uint8Array([0x89, 0x50, 0x4e, 0x47]), { 'content-type': 'image/png' });
  serve('/empty.html', 200, '<html><head><title>Nothing here</title></head><body>  </body></html>');
  routes.set('/large.txt', (_request, response) => {
    response.writeHead(200, { 'content-type': 'text/plain' }); // chunked: the size is known only while reading
    for (let index = 0; index < 20; index++) response.write('x'.repeat(100 * 1024));
    response.end();
  });
  routes.set('/slow.html', (_request, response) => {
    onSlowRequest?.();
    response.writeHead(200, { 'content-type': 'text/html' });
    response.write('<html><body><p>This page never finishes'); // and never ends
  });
  redirect('/old/1', '/old/2');
  redirect('/old/2', site('/old/3'));
  redirect('/old/3', '../about.html');
  redirect('/loop', '/loop');

  serve(
    '/sitemap.xml',
    200,
    urlset(['/about.html', '/missing', '/hours.txt', '/logo.png', '/returns.pdf', 'ftp://x/y']),
    {
      'content-type': 'application/xml',
    },
  );
  serve('/sitemap_index.xml', 200, sitemapIndex(['/sitemaps/pages.xml.gz', '/sitemaps/gone.xml']), {
    'content-type': 'text/xml',
  });
  serve('/sitemaps/pages.xml.gz', 200, gzipSync(urlset(['/notes.md', '/about.html'])), {
    'content-type': 'application/gzip',
  });
  serve('/level-0.xml', 200, sitemapIndex(['/level-1.xml']), { 'content-type': 'application/xml' });
  serve('/level-1.xml', 200, sitemapIndex(['/level-2.xml', '/level-2-index.xml']), {
    'content-type': 'application/xml',
  });
  serve('/level-2.xml', 200, urlset(['/hours.txt']), { 'content-type': 'application/xml' });
  serve('/level-2-index.xml', 200, sitemapIndex(['/level-3.xml']), { 'content-type': 'application/xml' });
  serve('/level-3.xml', 200, urlset(['/notes.md']), { 'content-type': 'application/xml' });
  serve('/many.xml', 200, urlset(Array.from({ length: 10 }, (_, index) => `/numbered/${index}`)), {
    'content-type': 'application/xml',
  });
  for (let index = 0; index < 10; index++) {
    serve(`/numbered/${index}`, 200, `Page number ${index}.`, { 'content-type': 'text/plain' });
  }
  serve('/empty-sitemap.xml', 200, urlset([]), { 'content-type': 'application/xml' });
  serve('/broken-sitemap.xml', 200, urlset(['/missing', '/logo.png']), { 'content-type': 'application/xml' });
  serve('/slow-sitemap.xml', 200, urlset(['/slow.html', '/about.html']), {
    'content-type': 'application/xml',
  });
  serve('/gated.xml', 200, urlset(['/gated/0', '/gated/1', '/gated/2', '/gated/3']), {
    'content-type': 'application/xml',
  });
  for (let index = 0; index < 4; index++) {
    routes.set(`/gated/${index}`, (_request, response) => {
      gateInFlight++;
      gateMostInFlight = Math.max(gateMostInFlight, gateInFlight);
      gateWaiting.push(() => {
        gateInFlight--;
        response.writeHead(200, { 'content-type': 'text/plain' }).end(`Gated page ${index}.`);
      });
      if (gateWaiting.length === 2) {
        const releases = gateWaiting;
        gateWaiting = [];
        setTimeout(() => {
          for (const release of releases) release();
        }, 50);
      }
    });
  }
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('importWebPages, one page', () => {
  it('imports an HTML page: its title, and its text with Markdown headings', async () => {
    const result = await importWebPages(site('/about.html'), 'page', options);

    expect(result.skipped).toEqual([]);
    expect(result.pages).toHaveLength(1);
    const [page] = result.pages;
    expect(page?.url).toBe(site('/about.html'));
    expect(page?.title).toBe('About the bakery');
    expect(page?.text).toContain('# About us');
    expect(page?.text).toContain('We bake bread every morning from six');
    expect(page?.text).toContain('Orders above twenty euros are delivered for free.');
    expect(page?.text).not.toContain('Shop online');
    expect(page?.text).not.toContain('all rights reserved');
  });

  it('takes a text/plain page and a text/markdown page as they are, without a title', async () => {
    const text = await importWebPages(site('/hours.txt'), 'page', options);
    const markdown = await importWebPages(site('/notes.md'), 'page', options);

    expect(text.pages).toEqual([
      { url: site('/hours.txt'), title: null, text: 'We open at nine and close at six.' },
    ]);
    expect(markdown.pages).toEqual([
      { url: site('/notes.md'), title: null, text: '# Notes\n\nSourdough needs a day.' },
    ]);
  });

  it('extracts the text of a PDF', async () => {
    const { pages } = await importWebPages(site('/returns.pdf'), 'page', options);

    expect(pages[0]?.text).toContain('Returns are accepted within thirty days.');
  });

  it('decodes the page in the charset its Content-Type names', async () => {
    const { pages } = await importWebPages(site('/latin1.html'), 'page', options);

    expect(pages[0]?.title).toBe('Café');
    expect(pages[0]?.text).toContain('Crème brûlée à la carte.');
  });

  it('decodes an HTML page in the charset its <meta> names when the Content-Type names none', async () => {
    const { pages } = await importWebPages(site('/meta-charset.html'), 'page', options);

    expect(pages[0]?.text).toBe('Chef\u2019s tart');
  });

  it('follows a chain of redirects and gives the address it ended at', async () => {
    const { pages } = await importWebPages(site('/old/1'), 'page', options);

    expect(pages[0]?.url).toBe(site('/about.html'));
    expect(pages[0]?.title).toBe('About the bakery');
  });

  it.each([
    ['/loop', 'the address redirects more than 5 times'],
    ['/missing', 'the server answered 404'],
    ['/large.txt', 'the response is larger than 1 MB'],
    ['/logo.png', 'unsupported content type image/png'],
    ['/empty.html', 'the page has no text'],
  ])('refuses %s: %s', async (path, reason) => {
    await expect(importWebPages(site(path), 'page', options)).rejects.toThrow(new WebImportError(reason));
  });

  it('gives up on a page that does not finish within the timeout', async () => {
    await expect(importWebPages(site('/slow.html'), 'page', { ...options, timeoutMs: 300 })).rejects.toThrow(
      new WebImportError('the server did not answer within 300 ms'),
    );
  });

  it('refuses addresses that are not http or https', async () => {
    await expect(importWebPages('file:///etc/passwd', 'page', options)).rejects.toThrow(
      'only http and https addresses can be imported, not file:',
    );
    await expect(importWebPages('gopher://127.0.0.1/', 'page', options)).rejects.toThrow(WebImportError);
  });

  it("stops with the caller's own reason when the caller's signal aborts", async () => {
    const controller = new AbortController();
    const reason = new Error('the source was deleted');
    controller.abort(reason);

    await expect(
      importWebPages(site('/about.html'), 'page', { ...options, signal: controller.signal }),
    ).rejects.toBe(reason);
  });
});

describe('importWebPages, a sitemap', () => {
  it('imports the listed pages in sitemap order and skips those that fail, saying why', async () => {
    const { pages, skipped } = await importWebPages(site('/sitemap.xml'), 'sitemap', options);

    expect(pages.map((page) => page.url)).toEqual([
      site('/about.html'),
      site('/hours.txt'),
      site('/returns.pdf'),
    ]);
    expect(skipped).toEqual([
      { url: site('/missing'), reason: 'the server answered 404' },
      { url: site('/logo.png'), reason: 'unsupported content type image/png' },
    ]);
  });

  it('follows a sitemap index to a gzip-compressed sitemap, skipping a child sitemap that is missing', async () => {
    const { pages, skipped } = await importWebPages(site('/sitemap_index.xml'), 'sitemap', options);

    expect(pages.map((page) => page.url)).toEqual([site('/notes.md'), site('/about.html')]);
    expect(skipped).toEqual([{ url: site('/sitemaps/gone.xml'), reason: 'the server answered 404' }]);
  });

  it('follows an index nested in an index, and no deeper', async () => {
    const { pages, skipped } = await importWebPages(site('/level-0.xml'), 'sitemap', options);

    expect(pages.map((page) => page.url)).toEqual([site('/hours.txt')]);
    expect(skipped).toEqual([
      {
        url: site('/level-2-index.xml'),
        reason: 'sitemap indexes nested more than 2 levels deep are not followed',
      },
    ]);
    expect(received).not.toContain('/level-3.xml');
  });

  it('fetches at most maxPages pages', async () => {
    const { pages } = await importWebPages(site('/many.xml'), 'sitemap', { ...options, maxPages: 3 });

    expect(pages.map((page) => page.text)).toEqual(['Page number 0.', 'Page number 1.', 'Page number 2.']);
    expect(received).not.toContain('/numbered/3');
  });

  it('fetches concurrency pages at once, and no more', async () => {
    const { pages } = await importWebPages(site('/gated.xml'), 'sitemap', { ...options, concurrency: 2 });

    expect(pages.map((page) => page.text)).toEqual([
      'Gated page 0.',
      'Gated page 1.',
      'Gated page 2.',
      'Gated page 3.',
    ]);
    expect(gateMostInFlight).toBe(2);
  });

  it('skips a page that times out and keeps the others', async () => {
    const { pages, skipped } = await importWebPages(site('/slow-sitemap.xml'), 'sitemap', {
      ...options,
      timeoutMs: 300,
    });

    expect(pages.map((page) => page.url)).toEqual([site('/about.html')]);
    expect(skipped).toEqual([{ url: site('/slow.html'), reason: 'the server did not answer within 300 ms' }]);
  });

  it("stops with the caller's own reason when the caller's signal aborts mid-way, instead of skipping pages", async () => {
    const controller = new AbortController();
    const reason = new Error('the source was deleted');
    onSlowRequest = () => controller.abort(reason);

    const importing = importWebPages(site('/slow-sitemap.xml'), 'sitemap', {
      ...options,
      signal: controller.signal,
    });

    await expect(importing).rejects.toBe(reason);
    onSlowRequest = undefined;
  });

  it('fails when the sitemap lists no pages', async () => {
    await expect(importWebPages(site('/empty-sitemap.xml'), 'sitemap', options)).rejects.toThrow(
      new WebImportError('the sitemap lists no pages'),
    );
  });

  it('fails with the first error when no page can be imported', async () => {
    await expect(importWebPages(site('/broken-sitemap.xml'), 'sitemap', options)).rejects.toThrow(
      new WebImportError('no page of the sitemap could be imported (first error: the server answered 404)'),
    );
  });

  it('fails when the sitemap itself cannot be read or is not a sitemap', async () => {
    await expect(importWebPages(site('/missing-sitemap.xml'), 'sitemap', options)).rejects.toThrow(
      new WebImportError('the server answered 404'),
    );
    await expect(importWebPages(site('/about.html'), 'sitemap', options)).rejects.toThrow(
      new WebImportError('the address is not a sitemap (no <urlset> or <sitemapindex>)'),
    );
  });
});

describe('importWebPages without private networks', () => {
  const refused = { ...options, allowPrivateNetworks: false };

  it.each([
    ['an IPv4 loopback address', (path: string) => `http://127.0.0.1:${port}${path}`],
    ['a host name that resolves to loopback', (path: string) => `http://localhost:${port}${path}`],
    ['the IPv6 loopback address', (path: string) => `http://[::1]:${port}${path}`],
    ['an IPv4-mapped IPv6 loopback address', (path: string) => `http://[::ffff:127.0.0.1]:${port}${path}`],
    ['the unspecified address', (path: string) => `http://0.0.0.0:${port}${path}`],
    ['loopback written as one decimal number', (path: string) => `http://2130706433:${port}${path}`],
  ])('refuses %s before sending a request', async (_name, address) => {
    const path = `/private-${received.length}`;

    await expect(importWebPages(address(path), 'page', refused)).rejects.toThrow(
      new WebImportError(UNREACHABLE_HOST_REASON),
    );
    expect(received).not.toContain(path);
  });

  it('refuses a sitemap on a private address without fetching it', async () => {
    await expect(importWebPages(site('/sitemap.xml?private'), 'sitemap', refused)).rejects.toThrow(
      new WebImportError(UNREACHABLE_HOST_REASON),
    );
    expect(received).not.toContain('/sitemap.xml?private');
  });
});
