import { conversationEnvelopeSchema, conversationQuerySchema } from '@pollybot/contracts';
import { getChatbot } from '../../features/chatbots/save-chatbot.ts';
import { getConversationPage } from '../../features/conversations/chatbot-conversations.ts';
import type { Services } from '../../services.ts';
import type { App } from '../app-types.ts';
import {
  API_KEY_ERRORS,
  conversationParamsSchema,
  errorResponses,
  workspaceSecurity,
} from '../route-schemas.ts';

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
      const page = await getConversationPage(
        services,
        chatbot.id,
        request.params.conversationId,
        request.query,
      );
      return { success: true as const, data: page.conversation, nextCursor: page.nextCursor };
    },
  );
}
