import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { Services } from '../../services.ts';
import type { App } from '../app-types.ts';
import { routeNotFound } from '../plugins/error-handler.ts';

async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isFile() ?? false;
}

/** A file name of the widget's build: no dotfiles, no climbing out, nothing the file system reads otherwise. */
const ASSET_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * The widget's loader at /widget.js (cached 5 minutes, so a new build reaches pages soon) and the panel's
 * files at /widget/assets/* (named after their content by the build, so cached for good). A missing build
 * answers 404. Served to any page: the loader is public, as the publishable key in its tag is.
 */
export async function registerWidgetScriptGet(app: App, services: Services): Promise<void> {
  const root = resolve(services.config.widgetDir);
  await app.register(async (scope) => {
    await scope.register(fastifyStatic, { root, serve: false, suppressWarning: true, cacheControl: false });
    // The loader and its chunks run in the host page: they may be loaded from any site.
    scope.addHook('onRequest', async (_request, reply) => {
      reply.header('cross-origin-resource-policy', 'cross-origin');
      reply.header('access-control-allow-origin', '*');
    });
    scope.get('/widget.js', { schema: { hide: true } }, async (request, reply) => {
      if (!(await isFile(join(root, 'widget.js')))) throw routeNotFound(request);
      reply.header('cache-control', 'public, max-age=300');
      return reply.type('text/javascript; charset=utf-8').sendFile('widget.js');
    });
    scope.get('/widget/assets/*', { schema: { hide: true } }, async (request, reply) => {
      const name = (request.params as { '*': string })['*'];
      if (!ASSET_NAME.test(name) || !(await isFile(join(root, 'assets', name)))) throw routeNotFound(request);
      reply.header('cache-control', 'public, max-age=31536000, immutable');
      return reply.sendFile(`assets/${name}`);
    });
  });
}
