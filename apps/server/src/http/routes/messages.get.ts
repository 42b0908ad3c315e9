import { messageSchema, successEnvelope } from '@pollybot/contracts';
import type { Services } from '../../services.ts';
import type { App } from '../app-types.ts';
import { readChatCaller, toMessageAddress } from '../chat-request.ts';
import { API_KEY_ERRORS, errorResponses, messageParamsSchema, workspaceSecurity } from '../route-schemas.ts';

export function registerMessagesGet(app: App, services: Services): void {
  app.get(
    '/api/v1/chatbots/:id/conversations/:conversationId/messages/:messageId',
    {
      schema: {
        summary: 'Read a message: its status, its text so far and its usage',
        description:
          'A reply is `generating` while the model writes it (`content` is the text so far, written at most ' +
          'half a second behind), then `complete`, `incomplete` (cut short: cancelled, or its instance ' +
          'stopped) or `failed`. Poll this to follow a reply without Server-Sent Events.',
        tags: ['conversations'],
        security: workspaceSecurity,
        params: messageParamsSchema,
        response: {
          200: successEnvelope(messageSchema),
          ...errorResponses([
            ...API_KEY_ERRORS,
            'CHATBOT_NOT_FOUND',
            'CONVERSATION_NOT_FOUND',
            'MESSAGE_NOT_FOUND',
          ]),
        },
      },
    },
    async (request) => {
      const message = await services.chat.getMessage(
        readChatCaller(request),
        toMessageAddress(request.params),
      );
      return { success: true as const, data: message };
    },
  );
}
