import { chatStreamEventSchema } from '@pollybot/contracts';
import { z } from 'zod';
import { validationError } from '../../errors/validation-error.ts';
import type { Services } from '../../services.ts';
import type { App } from '../app-types.ts';
import {
  NOT_AN_EVENT,
  readChatCaller,
  readResumePosition,
  resumeField,
  toMessageAddress,
} from '../chat-request.ts';
import {
  API_KEY_ERRORS,
  errorResponses,
  lastEventIdHeaders,
  mediaResponse,
  messageParamsSchema,
  resumeQuerySchema,
  workspaceSecurity,
} from '../route-schemas.ts';
import { abortOnClose, relayReplyStream } from '../sse.ts';

export function registerMessagesStreamGet(app: App, services: Services): void {
  app.get(
    '/api/v1/chatbots/:id/conversations/:conversationId/messages/:messageId/stream',
    {
      schema: {
        summary: 'Reconnect to a reply’s stream',
        description:
          'Server-Sent Events of one reply, for a client whose stream was cut: with `Last-Event-ID` (or ' +
          '`?after=`) set to the id of the last event it received, it is sent every event it missed, then the ' +
          'rest as it is generated, then `done` or `error`; without either, the whole stream from `start`. A reply ' +
          'that has ended is sent at once: `start` (unless seen), the text not yet received as one `delta`, and ' +
          'the terminal event. It works on any instance, wherever the reply is generated. A client that has ' +
          'already received the terminal event is answered 204.',
        tags: ['conversations'],
        security: workspaceSecurity,
        params: messageParamsSchema,
        querystring: resumeQuerySchema,
        documentedHeaders: lastEventIdHeaders,
        response: {
          200: mediaResponse('A text/event-stream of the reply’s events, each with its `id:`', {
            'text/event-stream': chatStreamEventSchema,
          }),
          204: z.null().describe('The client has received the whole stream already'),
          ...errorResponses([
            ...API_KEY_ERRORS,
            'VALIDATION_ERROR',
            'CHATBOT_NOT_FOUND',
            'CONVERSATION_NOT_FOUND',
            'MESSAGE_NOT_FOUND',
          ]),
        },
      },
    },
    async (request, reply) => {
      const after = readResumePosition(request.headers['last-event-id'], request.query.after);
      const stream = await services.chat.followReply(
        readChatCaller(request),
        toMessageAddress(request.params),
        after,
        abortOnClose(reply),
      );
      if (stream === 'seen-all') return reply.code(204).send(null);
      if (stream === 'not-in-reply')
        throw validationError(resumeField(request.headers['last-event-id']), NOT_AN_EVENT);
      return relayReplyStream(reply, stream, {
        heartbeatMs: services.config.sseHeartbeatMs,
        log: request.log,
      });
    },
  );
}
