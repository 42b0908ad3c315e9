import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError, isAppError } from '../errors/app-error.ts';

// CORS of the widget API (/api/widget/v1): the panel is served by this server, so its requests are same-origin
// and need nothing; a host page calling the API itself is answered readable only when its origin is on the
// publishable key's list. Never `*`, never credentials: the widget API carries no cookies.

/** The headers a widget request may send across origins. */
const ALLOWED_HEADERS = 'authorization, content-type, last-event-id';

/** The request's Origin header when it is another site's (not this server's own); undefined otherwise. */
export function readForeignOrigin(request: FastifyRequest): string | undefined {
  const origin = request.headers.origin;
  if (typeof origin !== 'string' || origin === `${request.protocol}://${request.host}`) return undefined;
  return origin;
}

/**
 * Lets another site's page read the answer when its origin is allowed (`Access-Control-Allow-Origin` with that
 * origin); refuses it with 403 ORIGIN_NOT_ALLOWED otherwise. Same-origin requests and requests without an
 * Origin header pass without CORS headers.
 */
export function allowWidgetOrigin(
  request: FastifyRequest,
  reply: FastifyReply,
  isAllowed: (origin: string) => boolean,
): void {
  const origin = readForeignOrigin(request);
  if (origin === undefined) return;
  if (!isAllowed(origin)) throw new AppError('ORIGIN_NOT_ALLOWED');
  reply.header('access-control-allow-origin', origin);
}

/** A preflight's answer for an allowed origin: the methods and headers the widget API accepts. */
export function setPreflightHeaders(reply: FastifyReply, origin: string): void {
  reply.header('access-control-allow-origin', origin);
  reply.header('access-control-allow-methods', 'GET, POST');
  reply.header('access-control-allow-headers', ALLOWED_HEADERS);
  reply.header('access-control-max-age', 600);
}

/** Every widget API response varies with the Origin it was asked from. */
export function setVaryOrigin(reply: FastifyReply): void {
  reply.header('vary', 'Origin');
}

/**
 * A widget API refusal, before the error handler answers it: its code is logged (info), and one that says
 * nothing about a key's list is made readable by the asking origin. PUBLISHABLE_KEY_INVALID (an unknown or
 * revoked key has no list to protect) tells the host page's loader the real reason instead of a CORS error;
 * ORIGIN_NOT_ALLOWED stays unreadable, which is its point.
 */
export async function exposeWidgetRefusal(
  request: FastifyRequest,
  reply: FastifyReply,
  error: Error,
): Promise<void> {
  if (!isAppError(error)) return;
  request.log.info({ code: error.code }, 'widget request refused');
  const origin = readForeignOrigin(request);
  if (error.code === 'PUBLISHABLE_KEY_INVALID' && origin !== undefined)
    reply.header('access-control-allow-origin', origin);
}
