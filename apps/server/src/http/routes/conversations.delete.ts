import { successEnvelope } from '@pollybot/contracts';
import { z } from 'zod';
import { deleteConversation } from '../../db/conversations.repository.ts';
import { AppError } from '../../errors/app-error.ts';
import { getChatbot } from '../../features/chatbots/save-chatbot.ts';
import type { Services } from '../../services.ts';
import type { App } from '../app-types.ts';
import { CHANGE_ERRORS, errorResponses, workspaceSecurity } from '../route-schemas.ts';
import { conversationParamsSchema } from './conversations.get.ts';

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
          200: successEnvelope(z.object({ id: z.string(), deleted: z.literal(true) })),
          ...errorResponses([...CHANGE_ERRORS, 'CHATBOT_NOT_FOUND', 'CONVERSATION_NOT_FOUND']),
        },
      },
    },
    async (request) => {
      const chatbot = await getChatbot(services, request.workspaceId, request.params.id);
      const deleted = await deleteConversation(services.db, chatbot.id, request.params.conversationId);
      if (!deleted) throw new AppError('CONVERSATION_NOT_FOUND');
      return { success: true as const, data: { id: request.params.conversationId, deleted: true as const } };
    },
  );
}
