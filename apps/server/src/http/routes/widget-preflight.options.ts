import { z } from 'zod';
import { isOriginOnAnyLiveKey } from '../../features/widget/widget-origins.ts';
import type { Services } from '../../services.ts';
import type { App } from '../app-types.ts';
import { readForeignOrigin, setPreflightHeaders } from '../widget-cors.ts';

/**
 * CORS preflights of the widget API. A preflight carries neither the session token nor the body, so an origin
 * is answered when some live publishable key lists it (with `?key=`, that key); the request itself is then
 * checked against its own key or session. A refused preflight is a plain 204 without CORS headers.
 */
export function registerWidgetPreflightOptions(app: App, services: Services): void {
  app.options(
    '/api/widget/v1/*',
    { schema: { hide: true, querystring: z.object({ key: z.string().max(100).optional() }).passthrough() } },
    async (request, reply) => {
      const origin = readForeignOrigin(request);
      if (origin && (await isOriginOnAnyLiveKey(services, origin, request.query.key)))
        setPreflightHeaders(reply, origin);
      return reply.code(204).send();
    },
  );
}
