import { conversationEnvelopeSchema, conversationQuerySchema, pathIdSchema } from '@pollybot/contracts';
import { z } from 'zod';
import { findConversation, listMessagesPage } from '../../db/conversations.repository.ts';
import { AppError } from '../../errors/app-error.ts';
import { getChatbot } from '../../features/chatbots/save-chatbot.ts';
import { toConversationSummary, toMessageView } from '../../features/conversations/conversation-view.ts';
import type { Services } from '../../services.ts';
import type { App } from '../app-types.ts';
import { API_KEY_ERRORS, errorResponses, workspaceSecurity } from '../route-schemas.ts';

export const conversationParamsSchema = z.object({ id: pathIdSchema, conversationId: pathIdSchema });

export function registerConversationsGet(app: App, services: Services): void {
  app.get(
    '/api/v1/chatbots/:id/conversations/:conversationId',
    {
      schema: {
        summary: 'Read a conversation with its messages, oldest first, a page at a time',
        description:
          'Messages come oldest first, `limit` at a time (1-500, 100 by default). When more follow, `nextCursor` ' +
          'is set: pass it as `cursor` for the next page (null on the last page).',
        tags: ['conversations'],
        security: workspaceSecurity,
        params: conversationParamsSchema,
        querystring: conversationQuerySchema,
        response: {
          200: conversationEnvelopeSchema,
          ...errorResponses([...API_KEY_ERRORS, 'CHATBOT_NOT_FOUND', 'CONVERSATION_NOT_FOUND']),
        },
      },
    },
    async (request) => {
      const chatbot = await getChatbot(services, request.workspaceId, request.params.id);
      const conversation = await findConversation(services.db, chatbot.id, request.params.conversationId);
      if (!conversation) throw new AppError('CONVERSATION_NOT_FOUND');
      const page = await listMessagesPage(services.db, conversation.id, request.query);
      return {
        success: true as const,
        data: { ...toConversationSummary(conversation), messages: page.items.map(toMessageView) },
        nextCursor: page.nextCursor,
      };
    },
  );
}
