import { deletedSchema, successEnvelope } from '@pollybot/contracts';
import { getChatbot } from '../../features/chatbots/save-chatbot.ts';
import { removeConversation } from '../../features/conversations/chatbot-conversations.ts';
import type { Services } from '../../services.ts';
import type { App } from '../app-types.ts';
import {
  CHANGE_ERRORS,
  conversationParamsSchema,
  errorResponses,
  workspaceSecurity,
} from '../route-schemas.ts';

export function registerConversationsDelete(app: App, services: Services): void {
  app.delete(
    '/api/v1/chatbots/:id/conversations/:conversationId',
    {
      schema: {
        summary: 'Delete a conversation and its messages',
        tags: ['conversations'],
        security: workspaceSecurity,
        params: conversationParamsSchema,
        response: {
          200: successEnvelope(deletedSchema),
          ...errorResponses([...CHANGE_ERRORS, 'CHATBOT_NOT_FOUND', 'CONVERSATION_NOT_FOUND']),
        },
      },
    },
    async (request) => {
      const chatbot = await getChatbot(services, request.workspaceId, request.params.id);
      await removeConversation(services, chatbot.id, request.params.conversationId);
      return { success: true as const, data: { id: request.params.conversationId, deleted: true as const } };
    },
  );
}
