import { successEnvelope, widgetReplySchema } from '@pollybot/contracts';
import { AppError } from '../../errors/app-error.ts';
import type { ChatAdmission } from '../../features/chat/chat.ts';
import { toVisitorError } from '../../features/widget/visitor-errors.ts';
import { enforceWidgetLimits } from '../../features/widget/widget-limits.ts';
import { toWidgetEvent, toWidgetReply } from '../../features/widget/widget-reply.ts';
import type { Services } from '../../services.ts';
import type { App } from '../app-types.ts';
import { createVisitorSessionHook, toVisitorCaller } from '../plugins/authenticate-visitor.ts';
import {
  errorResponses,
  mediaResponse,
  VISITOR_ERRORS,
  visitorSecurity,
  WIDGET_BODY_LIMIT_BYTES,
} from '../route-schemas.ts';
import { abortOnClose, relayReplyStream } from '../sse.ts';
import { widgetChatBodySchema, widgetStreamEventSchema } from '../widget-schemas.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The chat pipeline's admission of this request's visitor to their chatbot. */
    widgetAdmission: ChatAdmission;
  }
}

/** Any error of the turn as the visitor reads it (the business's limit or offline message). */
function forVisitor(error: unknown, settings: Parameters<typeof toVisitorError>[1]): unknown {
  return error instanceof AppError ? toVisitorError(error, settings) : error;
}

/** The widget's door to the chat pipeline: a visitor session, one chatbot, the visitor's own conversations. */
export function registerWidgetChatCreate(app: App, services: Services): void {
  const { chat } = services;
  const authenticate = createVisitorSessionHook(services);
  app.post(
    '/api/widget/v1/chat',
    {
      bodyLimit: WIDGET_BODY_LIMIT_BYTES,
      // The session, the widget's limits, then the pipeline's checks 2-4: all before the body is read.
      onRequest: async (request, reply) => {
        await authenticate(request, reply);
        const { visitor } = request;
        try {
          await enforceWidgetLimits(
            services,
            { chatbotId: visitor.chatbotId, visitorId: visitor.visitorId, ip: request.ip },
            visitor.settings,
          );
          const admitted = await chat.admit(toVisitorCaller(visitor), visitor.chatbotId);
          if (admitted.kind === 'refused') throw admitted.error;
          request.widgetAdmission = admitted.admission;
        } catch (error) {
          throw forVisitor(error, visitor.settings);
        }
      },
      schema: {
        summary: 'Send a visitor’s message (JSON, or Server-Sent Events with `stream: true`)',
        description:
          'The native chat route for a widget visitor: their own conversations only, no metadata (a verified ' +
          'visitor’s id is set from their identity), no usage in the answer. Counted against the widget’s limits ' +
          '(per visitor, per IP address, per chatbot per day) before the chatbot’s own rate limit. A limit or ' +
          'the credits running out answers the business’s `limitMessage`; a provider failure or an inactive ' +
          'chatbot its `offlineMessage`; the codes are the real ones.',
        tags: ['widget-public'],
        security: visitorSecurity,
        body: widgetChatBodySchema,
        response: {
          200: mediaResponse(
            'The reply as JSON, or a text/event-stream of start, delta..., then done or error',
            {
              'application/json': successEnvelope(widgetReplySchema),
              'text/event-stream': widgetStreamEventSchema,
            },
          ),
          ...errorResponses([
            ...VISITOR_ERRORS,
            'WIDGET_LIMIT_EXCEEDED',
            'RATE_LIMIT_EXCEEDED',
            'CHATBOT_INACTIVE',
            'CONVERSATION_NOT_FOUND',
            'INSUFFICIENT_CREDITS',
            'AI_PROVIDER_ERROR',
            'AI_PROVIDER_TIMEOUT',
          ]),
        },
      },
    },
    async (request, reply) => {
      const { settings } = request.visitor;
      try {
        const outcome = await chat.send(request.widgetAdmission, request.body, {
          signal: abortOnClose(reply),
          log: request.log,
        });
        if (outcome.kind === 'client-gone') return reply;
        if (outcome.kind === 'failed') throw outcome.error;
        if (outcome.kind === 'reply') return { success: true as const, data: toWidgetReply(outcome.reply) };
        return await relayReplyStream(reply, outcome.stream, {
          heartbeatMs: services.config.sseHeartbeatMs,
          log: request.log,
          mapEvent: (event) => toWidgetEvent(event, settings),
        });
      } catch (error) {
        throw forVisitor(error, settings);
      }
    },
  );
}
