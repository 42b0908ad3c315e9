import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';

const INDEX_HTML = '<!doctype html><html><body><div id="root">the dashboard</div></body></html>';
const APP_JS = 'console.log("the dashboard");';

let dir: string;
let server: TestServer;

/** A dashboard build as Vite lays it out, with a file beside it that must never be served. */
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pollybot-dashboard-'));
  const dist = join(dir, 'dist');
  mkdirSync(join(dist, 'assets'), { recursive: true });
  writeFileSync(join(dist, 'index.html'), INDEX_HTML);
  writeFileSync(join(dist, 'assets', 'index-Abc123.js'), APP_JS);
  writeFileSync(join(dist, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  writeFileSync(join(dist, '.env'), 'SECRET=1');
  writeFileSync(join(dir, 'outside.txt'), 'not part of the build');
  server = await startTestServer({ POLLYBOT_DASHBOARD_DIR: dist });
});

afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const get = (path: string, init: RequestInit = {}) => fetch(`${server.baseUrl}${path}`, init);

/** GET with the path sent as written: fetch() would resolve its dot segments first. */
function getRaw(path: string): Promise<{ status: number; contentType: string | undefined; body: string }> {
  const { hostname, port } = new URL(server.baseUrl);
  return new Promise((resolve, reject) => {
    const sent = request({ host: hostname, port, path, method: 'GET' }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          contentType: response.headers['content-type'],
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    });
    sent.on('error', reject);
    sent.end();
  });
}

async function expectNotFoundEnvelope(path: string, method = 'GET') {
  const response = await get(path, { method });
  expect(response.status, path).toBe(404);
  expect(response.headers.get('content-type'), path).toContain('application/json');
  expect(await response.json(), path).toMatchObject({ success: false, code: 'NOT_FOUND' });
}

describe('the dashboard at /', () => {
  it('serves index.html at /, revalidated on every visit, never framed', async () => {
    const response = await get('/');

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(await response.text()).toBe(INDEX_HTML);
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    const policy = response.headers.get('content-security-policy') ?? '';
    for (const directive of [
      "default-src 'self'",
      "object-src 'none'",
      "base-uri 'none'",
      "frame-ancestors 'none'",
    ])
      expect(policy).toContain(directive);
    expect(policy).not.toContain('unsafe-inline');
    expect(response.headers.get('x-request-id')).toBeTruthy();
  });

  it('answers index.html for any page path, so the single-page app routes it', async () => {
    for (const path of ['/chatbots', '/chatbots/01abc/conversations', '/accept']) {
      const response = await get(path);
      expect(response.status, path).toBe(200);
      expect(await response.text(), path).toBe(INDEX_HTML);
    }
  });

  it('serves the build’s files, hashed assets cached for good', async () => {
    const script = await get('/assets/index-Abc123.js');
    const icon = await get('/favicon.svg');

    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toContain('javascript');
    expect(await script.text()).toBe(APP_JS);
    expect(script.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(icon.status).toBe(200);
    expect(icon.headers.get('cache-control')).toBe('no-cache');
  });

  it('answers HEAD like GET, without a body', async () => {
    const response = await get('/', { method: 'HEAD' });

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(await response.text()).toBe('');
  });

  it('answers 404 in the envelope for a missing file, a dotfile, and anything outside the build', async () => {
    for (const path of [
      '/assets/missing.js',
      '/favicon.ico',
      '/.env',
      '/assets/../.env',
      '/..%2foutside.txt',
      '/%2e%2e/outside.txt',
      '/assets/%2e%2e/%2e%2e/outside.txt',
    ])
      await expectNotFoundEnvelope(path);
  });

  it('answers 404 in the envelope to a path that climbs out of the build or of the API reference’s files', async () => {
    for (const path of [
      '/docs/static/../../etc/passwd',
      '/docs/static/%2e%2e/%2e%2e/etc/passwd',
      '/docs/static/..%2f..%2fetc/passwd',
      '/docs/static/../../../../../../etc/passwd',
      '/docs/static/..',
      '/assets/../../outside.txt',
      '/assets/../.env',
      '/../outside.txt',
      '/../../etc/passwd',
    ]) {
      const response = await getRaw(path);
      expect(response.status, `${path}: ${response.body}`).toBe(404);
      expect(response.contentType, path).toContain('application/json');
      expect(JSON.parse(response.body), path).toMatchObject({ success: false, code: 'NOT_FOUND' });
    }
    expect((await getRaw('/docs/static/swagger-ui.css')).status).toBe(200);
  });

  it('leaves the API, its reference and the probes as they were', async () => {
    await expectNotFoundEnvelope('/api/v1/no-such-route');
    await expectNotFoundEnvelope('/api/auth/no-such-route');
    await expectNotFoundEnvelope('/api');
    await expectNotFoundEnvelope('/', 'POST');
    const unauthenticated = await get('/api/v1/workspace');
    expect(unauthenticated.status).toBe(401);
    expect((await get('/healthz')).status).toBe(200);
    expect((await get('/readyz')).status).toBe(200);
    expect((await get('/openapi.json')).headers.get('content-type')).toContain('application/json');
    const docs = await get('/docs');
    expect(docs.status).toBe(200);
    expect(await docs.text()).not.toBe(INDEX_HTML);
  });
});

describe('the dashboard before it is built', () => {
  it('answers / with a page saying how to build it, and 404 elsewhere; the API works', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'pollybot-unbuilt-'));
    const unbuilt = await startTestServer({ POLLYBOT_DASHBOARD_DIR: join(empty, 'dist') });
    try {
      const page = await fetch(`${unbuilt.baseUrl}/`);
      const html = await page.text();

      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toContain('text/html');
      expect(html).toContain('not built');
      expect(html).toContain('npm run build');
      const elsewhere = await fetch(`${unbuilt.baseUrl}/chatbots`);
      expect(elsewhere.status).toBe(404);
      expect(await elsewhere.json()).toMatchObject({ code: 'NOT_FOUND' });
      const { apiKey } = await unbuilt.createWorkspace();
      expect((await unbuilt.api(apiKey).get('/api/v1/workspace')).status).toBe(200);

      // Built while the server runs: served from the next request, without a restart.
      mkdirSync(join(empty, 'dist'));
      writeFileSync(join(empty, 'dist', 'index.html'), INDEX_HTML);
      expect(await (await fetch(`${unbuilt.baseUrl}/`)).text()).toBe(INDEX_HTML);
    } finally {
      await unbuilt.close();
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
