import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathIdSchema } from '@pollybot/contracts';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../errors/app-error.ts';
import { authenticateSession } from '../../features/accounts/sessions.ts';
import { getChatbot } from '../../features/chatbots/save-chatbot.ts';
import { findKeyAndChatbot, isOriginAllowed } from '../../features/widget/visitor-sessions.ts';
import type { Services } from '../../services.ts';
import type { App } from '../app-types.ts';
import { routeNotFound } from '../plugins/error-handler.ts';
import { readSessionToken } from '../session-cookie.ts';

/** The panel's policy: its own scripts, styles and API only; framed by exactly `frameAncestors`. */
function frameContentSecurityPolicy(frameAncestors: string): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "connect-src 'self'",
    "img-src 'self' data: https:",
    "base-uri 'none'",
    "form-action 'none'",
    `frame-ancestors ${frameAncestors}`,
  ].join('; ');
}

/** Sends the panel's page (frame.html of the widget's build) framed by `frameAncestors` only; 404 without a build. */
async function sendFrame(root: string, reply: FastifyReply, frameAncestors: string, notFound: AppError) {
  const html = await readFile(join(root, 'frame.html'), 'utf8').catch(() => undefined);
  if (html === undefined) throw notFound;
  // This one response may be framed, by the listed sites only: the CSP says which, X-Frame-Options cannot.
  reply.removeHeader('x-frame-options');
  return reply
    .header('content-security-policy', frameContentSecurityPolicy(frameAncestors))
    .header('cache-control', 'no-cache')
    .type('text/html; charset=utf-8')
    .send(html);
}

const frameQuerySchema = z.object({ key: z.string().max(100), origin: z.string().max(300) });
const previewQuerySchema = z.object({ chatbotId: pathIdSchema });

/**
 * The widget's panel, an iframe served by PollyBot. /widget/frame: for a live key and a host page on its list,
 * with `frame-ancestors` listing exactly the key's origins; anything else is 403 and keeps `frame-ancestors
 * 'none'`. /widget/preview: the same page for the dashboard's live preview (a signed-in person of the chatbot's
 * workspace), framed by the dashboard only; the panel takes its settings from the dashboard by postMessage.
 */
export function registerWidgetFrameGet(app: App, services: Services): void {
  const root = resolve(services.config.widgetDir);
  app.get(
    '/widget/frame',
    { schema: { hide: true, querystring: frameQuerySchema } },
    async (request, reply) => {
      // One refusal for both: a page that may not frame the panel learns nothing about the key.
      const found = await findKeyAndChatbot(services, request.query.key).catch(() => undefined);
      if (!found || !isOriginAllowed(found.allowedOrigins, request.query.origin)) {
        throw new AppError('ORIGIN_NOT_ALLOWED', {
          message:
            'This page may not show the widget: its key is unknown or revoked, or the page is not on its list',
        });
      }
      const { allowedOrigins } = found;
      return sendFrame(root, reply, allowedOrigins.join(' '), routeNotFound(request));
    },
  );
  app.get(
    '/widget/preview',
    { schema: { hide: true, querystring: previewQuerySchema } },
    async (request, reply) => {
      const session = await authenticateSession(services, readSessionToken(request));
      if (!session) throw new AppError('NOT_AUTHENTICATED');
      await getChatbot(services, session.workspaceId, request.query.chatbotId);
      return sendFrame(root, reply, "'self'", routeNotFound(request));
    },
  );
}
