import type { FastifyReply, FastifyRequest } from 'fastify';
import { readBearerToken } from '../../features/api-keys/api-key-secret.ts';
import type { ChatCaller } from '../../features/chat/chat-caller.ts';
import { authenticateVisitorSession, type VisitorPrincipal } from '../../features/widget/visitor-sessions.ts';
import type { Services } from '../../services.ts';
import { allowWidgetOrigin } from '../widget-cors.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The widget visitor whose session token authenticated this request. */
    visitor: VisitorPrincipal;
  }
}

/**
 * The onRequest hook of the widget routes after `/sessions`: the bearer token must be a live visitor session
 * (401 VISITOR_SESSION_INVALID), and a request from another site must come from the page the session was
 * started for, still on its key's list (403 ORIGIN_NOT_ALLOWED).
 */
export function createVisitorSessionHook(services: Pick<Services, 'db' | 'clock'>) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const visitor = await authenticateVisitorSession(
      services,
      readBearerToken(request.headers.authorization),
    );
    allowWidgetOrigin(
      request,
      reply,
      (origin) => origin === visitor.origin && visitor.allowedOrigins.includes(origin),
    );
    request.visitor = visitor;
  };
}

/** The chat pipeline's caller for a visitor. */
export function toVisitorCaller(visitor: VisitorPrincipal): ChatCaller {
  return {
    kind: 'visitor',
    workspaceId: visitor.workspaceId,
    chatbotId: visitor.chatbotId,
    visitorId: visitor.visitorId,
    externalUserId: visitor.externalUserId,
    name: visitor.name,
    email: visitor.email,
  };
}
