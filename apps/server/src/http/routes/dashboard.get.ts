import { stat } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyReply } from 'fastify';
import type { Services } from '../../services.ts';
import type { App } from '../app-types.ts';
import { routeNotFound } from '../plugins/error-handler.ts';
import { PAGE_CONTENT_SECURITY_POLICY } from '../plugins/security-headers.ts';

/** Paths the dashboard never answers: they keep their own routes, or the API's 404 envelope. */
const RESERVED = /^\/(?:api(?:\/|$)|widget(?:\/|\.js$)|docs|openapi\.json$|healthz$|readyz$)/;

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>PollyBot</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; padding: 0 1rem; line-height: 1.5">
<h1>PollyBot is running</h1>
<p>The dashboard is not built yet. Build it from the root of the repository with</p>
<pre><code>npm run build</code></pre>
<p>then reload this page. The API works meanwhile: see the <a href="/docs">API reference</a>.</p>
</body>
</html>
`;

/** The page's one inline style attribute, and nothing else. */
const NOT_BUILT_PAGE_POLICY =
  "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors 'none'";

// Vite names the files under assets/ after their content, so they can be cached for good; everything else
// (index.html above all) is revalidated, so a new build is seen at once.
function setCacheHeaders(reply: FastifyReply, path: string) {
  const isHashedAsset = path.includes(`${sep}assets${sep}`);
  reply.header('cache-control', isHashedAsset ? 'public, max-age=31536000, immutable' : 'no-cache');
}

async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isFile() ?? false;
}

/**
 * Serves the dashboard's build at `/`: a file when one exists, else index.html for any path that looks like a
 * page (no file extension), so the single-page app can route it. The build is looked for on every request, so
 * building the dashboard needs no restart; without one, `/` says how to build it.
 */
export async function registerDashboardGet(app: App, services: Services): Promise<void> {
  const root = resolve(services.config.dashboardDir);
  await app.register(async (scope) => {
    await scope.register(fastifyStatic, {
      root,
      serve: false,
      suppressWarning: true,
      cacheControl: false,
      setHeaders: setCacheHeaders,
    });
    scope.get('/*', { schema: { hide: true } }, async (request, reply) => {
      const path = `/${(request.params as { '*': string })['*']}`;
      if (RESERVED.test(path)) throw routeNotFound(request);
      const isBuilt = await isFile(join(root, 'index.html'));
      if (!isBuilt) {
        if (path !== '/') throw routeNotFound(request);
        return reply
          .header('content-security-policy', NOT_BUILT_PAGE_POLICY)
          .header('cache-control', 'no-cache')
          .type('text/html; charset=utf-8')
          .send(NOT_BUILT_PAGE);
      }
      const segments = path.split('/').filter(Boolean);
      // No dotfiles, no climbing out of the build, nothing the file system would read differently.
      if (segments.some((segment) => segment.startsWith('.') || /[\\\0]/.test(segment)))
        throw routeNotFound(request);
      reply.header('content-security-policy', PAGE_CONTENT_SECURITY_POLICY);
      const relative = segments.join('/');
      if (relative && (await isFile(join(root, ...segments)))) return reply.sendFile(relative);
      const last = segments.at(-1) ?? '';
      if (last.includes('.')) throw routeNotFound(request);
      return reply.sendFile('index.html');
    });
  });
}
