import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';

// The headers a browser needs from every response: no content sniffing, no referrer, never framed, a
// Content-Security-Policy (the pages' own, which loads only this server's files), and HSTS over HTTPS.

let server: TestServer;
let apiKey: string;
let chatbotId: string;

beforeAll(async () => {
  // One proxy in front: X-Forwarded-Proto is believed, as behind nginx.
  server = await startTestServer({ TRUST_PROXY: '1' });
  ({ apiKey } = await server.createWorkspace());
  chatbotId = (await server.createChatbot(apiKey)).id;
});

afterAll(async () => {
  await server.close();
});

/** The response's headers, the path sent as written (fetch would normalise it). */
function headersOf(
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
) {
  const { hostname, port } = new URL(server.baseUrl);
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined> }>(
    (resolve, reject) => {
      const sent = request(
        { host: hostname, port, path, method: init.method ?? 'GET', headers: init.headers },
        (response) => {
          response.resume();
          response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers }));
        },
      );
      sent.on('error', reject);
      sent.end(init.body);
    },
  );
}

const policyOf = (headers: Record<string, unknown>) => String(headers['content-security-policy'] ?? '');

describe('security headers', () => {
  it('are on every response: successes, errors, 404s, probes, failures before routing, event streams', async () => {
    const auth = { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' };
    const cases: [string, Parameters<typeof headersOf>[1], number][] = [
      ['/healthz', {}, 200],
      ['/readyz', {}, 200],
      ['/openapi.json', {}, 200],
      ['/api/v1/workspace', { headers: auth }, 200],
      ['/api/v1/workspace', {}, 401],
      ['/api/v1/no-such-route', {}, 404],
      [`/api/v1/chatbots/${chatbotId}/chat`, { method: 'POST', headers: auth, body: '{not json' }, 400],
      ['/api/v1/chatbots/%E0%A4%A', { headers: auth }, 400],
      ['/docs/static/../../etc/passwd', {}, 404],
      [
        `/api/v1/chatbots/${chatbotId}/chat`,
        { method: 'POST', headers: auth, body: '{"message":"Hi","stream":true}' },
        200,
      ],
    ];
    for (const [path, init, status] of cases) {
      const { status: actual, headers } = await headersOf(path, init);
      const label = `${init?.method ?? 'GET'} ${path}`;
      expect(actual, label).toBe(status);
      expect(headers['x-content-type-options'], label).toBe('nosniff');
      expect(headers['referrer-policy'], label).toBe('no-referrer');
      expect(headers['x-frame-options'], label).toBe('DENY');
      expect(policyOf(headers), label).toContain("frame-ancestors 'none'");
      expect(headers['strict-transport-security'], label).toBeUndefined();
    }
  });

  it('send HSTS only when the request came over HTTPS (X-Forwarded-Proto from a trusted proxy)', async () => {
    const overHttps = await headersOf('/healthz', { headers: { 'x-forwarded-proto': 'https' } });
    expect(overHttps.headers['strict-transport-security']).toBe('max-age=31536000');
    const error = await headersOf('/api/v1/workspace', { headers: { 'x-forwarded-proto': 'https' } });
    expect(error.status).toBe(401);
    expect(error.headers['strict-transport-security']).toBe('max-age=31536000');
    const overHttp = await headersOf('/healthz', { headers: { 'x-forwarded-proto': 'http' } });
    expect(overHttp.headers['strict-transport-security']).toBeUndefined();
  });

  it('give the API reference a policy that loads its own files only, and its page has no inline script', async () => {
    for (const path of [
      '/docs',
      '/docs/',
      '/docs/static/swagger-ui.css',
      '/docs/static/swagger-initializer.js',
    ]) {
      const { status, headers } = await headersOf(path);
      expect(status, path).toBe(200);
      const policy = policyOf(headers);
      for (const directive of [
        "default-src 'self'",
        "script-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
      ])
        expect(policy, path).toContain(directive);
      expect(policy, path).not.toContain('unsafe-inline');
      expect(policy, path).not.toContain('unsafe-eval');
      expect(headers['x-content-type-options'], path).toBe('nosniff');
    }
    const page = await (await fetch(`${server.baseUrl}/docs/`)).text();
    expect(page).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
    expect(page).not.toMatch(/<style|\sstyle=/);
  });

  it('let the dashboard’s page load under its policy: no inline script or style in its HTML', () => {
    // The source index.html Vite builds from: the build adds only its own <script src> and <link> tags.
    const html = readFileSync(new URL('../../../web/index.html', import.meta.url), 'utf8');
    const inlineScripts = html.match(/<script(?![^>]*\ssrc=)[^>]*>/g) ?? [];
    expect(inlineScripts).toEqual([]);
    expect(html).not.toMatch(/<style|\sstyle=|\son[a-z]+=/);
  });
});
