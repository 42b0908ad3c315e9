import { messageSchema, pathIdSchema, successEnvelope } from '@pollybot/contracts';
import { z } from 'zod';
import { findConversation, findMessage } from '../../db/conversations.repository.ts';
import type { MessageRow } from '../../db/database.ts';
import { AppError } from '../../errors/app-error.ts';
import { getChatbot } from '../../features/chatbots/save-chatbot.ts';
import { toMessageView } from '../../features/conversations/conversation-view.ts';
import type { Services } from '../../services.ts';
import type { App } from '../app-types.ts';
import { API_KEY_ERRORS, errorResponses, workspaceSecurity } from '../route-schemas.ts';

export const messageParamsSchema = z.object({
  id: pathIdSchema,
  conversationId: pathIdSchema,
  messageId: pathIdSchema,
});

/** The chatbot's message, or CHATBOT_NOT_FOUND / CONVERSATION_NOT_FOUND / MESSAGE_NOT_FOUND. */
export async function getMessage(
  services: Services,
  workspaceId: string,
  params: z.infer<typeof messageParamsSchema>,
): Promise<MessageRow> {
  const chatbot = await getChatbot(services, workspaceId, params.id);
  const conversation = await findConversation(services.db, chatbot.id, params.conversationId);
  if (!conversation) throw new AppError('CONVERSATION_NOT_FOUND');
  const message = await findMessage(services.db, chatbot.id, params.conversationId, params.messageId);
  if (!message) throw new AppError('MESSAGE_NOT_FOUND');
  return message;
}

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
      const message = await getMessage(services, request.workspaceId, request.params);
      return { success: true as const, data: toMessageView(message) };
    },
  );
}
