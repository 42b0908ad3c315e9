import { messageSchema, successEnvelope } from '@pollybot/contracts';
import type { Services } from '../../services.ts';
import type { App } from '../app-types.ts';
import { readChatCaller, toMessageAddress } from '../chat-request.ts';
import { CHANGE_ERRORS, errorResponses, messageParamsSchema, workspaceSecurity } from '../route-schemas.ts';

export function registerMessagesCancelCreate(app: App, services: Services): void {
  app.post(
    '/api/v1/chatbots/:id/conversations/:conversationId/messages/:messageId/cancel',
    {
      schema: {
        summary: 'Stop a reply being generated',
        description:
          'Answers 202 with the message as it is; the instance generating it (any instance) stops within a ' +
          'second, and the message ends `incomplete` with the text generated until then. It is charged as a ' +
          'reply when any text was generated, and costs nothing otherwise. A reply that has already ended ' +
          'answers 409 MESSAGE_NOT_GENERATING.',
        tags: ['conversations'],
        security: workspaceSecurity,
        params: messageParamsSchema,
        response: {
          202: successEnvelope(messageSchema),
          ...errorResponses([
            ...CHANGE_ERRORS,
            'CHATBOT_NOT_FOUND',
            'CONVERSATION_NOT_FOUND',
            'MESSAGE_NOT_FOUND',
            'MESSAGE_NOT_GENERATING',
          ]),
        },
      },
    },
    async (request, reply) => {
      const message = await services.chat.cancelReply(
        readChatCaller(request),
        toMessageAddress(request.params),
      );
      reply.code(202);
      return { success: true as const, data: message };
    },
  );
}
