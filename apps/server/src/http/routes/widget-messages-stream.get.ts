import { z } from 'zod';
import { validationError } from '../../errors/validation-error.ts';
import { findWidgetMessageAddress } from '../../features/widget/visitor-conversations.ts';
import { toWidgetEvent } from '../../features/widget/widget-reply.ts';
import type { Services } from '../../services.ts';
import type { App } from '../app-types.ts';
import { NOT_AN_EVENT, readResumePosition, resumeField } from '../chat-request.ts';
import { createVisitorSessionHook, toVisitorCaller } from '../plugins/authenticate-visitor.ts';
import {
  errorResponses,
  lastEventIdHeaders,
  mediaResponse,
  resumeQuerySchema,
  VISITOR_ERRORS,
  visitorSecurity,
} from '../route-schemas.ts';
import { abortOnClose, relayReplyStream } from '../sse.ts';
import { widgetMessageParamsSchema, widgetStreamEventSchema } from '../widget-schemas.ts';

export function registerWidgetMessagesStreamGet(app: App, services: Services): void {
  app.get(
    '/api/widget/v1/messages/:id/stream',
    {
      onRequest: createVisitorSessionHook(services),
      schema: {
        summary: 'Reconnect to one of the visitor’s replies (after a reload mid-reply)',
        description:
          'As the native reconnection: with `Last-Event-ID` (or `?after=`) the events after it, then the rest as ' +
          'it is generated; 204 when the client has the whole stream. Events as the widget’s chat sends them.',
        tags: ['widget-public'],
        security: visitorSecurity,
        params: widgetMessageParamsSchema,
        querystring: resumeQuerySchema,
        documentedHeaders: lastEventIdHeaders,
        response: {
          200: mediaResponse('A text/event-stream of the reply’s events, each with its `id:`', {
            'text/event-stream': widgetStreamEventSchema,
          }),
          204: z.null().describe('The client has received the whole stream already'),
          ...errorResponses([...VISITOR_ERRORS, 'VALIDATION_ERROR', 'MESSAGE_NOT_FOUND']),
        },
      },
    },
    async (request, reply) => {
      const { visitor } = request;
      const after = readResumePosition(request.headers['last-event-id'], request.query.after);
      const address = await findWidgetMessageAddress(services, visitor, request.params.id);
      const stream = await services.chat.followReply(
        toVisitorCaller(visitor),
        address,
        after,
        abortOnClose(reply),
      );
      if (stream === 'seen-all') return reply.code(204).send(null);
      if (stream === 'not-in-reply')
        throw validationError(resumeField(request.headers['last-event-id']), NOT_AN_EVENT);
      return relayReplyStream(reply, stream, {
        heartbeatMs: services.config.sseHeartbeatMs,
        log: request.log,
        mapEvent: (event) => toWidgetEvent(event, visitor.settings),
      });
    },
  );
}
