import { conversationSummarySchema, listEnvelope, listQuerySchema, pathIdSchema } from '@pollybot/contracts';
import { z } from 'zod';
import { getChatbot } from '../../features/chatbots/save-chatbot.ts';
import { listConversationSummaries } from '../../features/conversations/chatbot-conversations.ts';
import type { Services } from '../../services.ts';
import type { App } from '../app-types.ts';
import { API_KEY_ERRORS, errorResponses, workspaceSecurity } from '../route-schemas.ts';

export function registerConversationsList(app: App, services: Services): void {
  app.get(
    '/api/v1/chatbots/:id/conversations',
    {
      schema: {
        summary: 'List a chatbot’s conversations, newest first',
        tags: ['conversations'],
        security: workspaceSecurity,
        params: z.object({ id: pathIdSchema }),
        querystring: listQuerySchema,
        response: {
          200: listEnvelope(conversationSummarySchema),
          ...errorResponses([...API_KEY_ERRORS, 'CHATBOT_NOT_FOUND']),
        },
      },
    },
    async (request) => {
      const chatbot = await getChatbot(services, request.workspaceId, request.params.id);
      const page = await listConversationSummaries(services, chatbot.id, request.query);
      return { success: true as const, data: page.items, nextCursor: page.nextCursor };
    },
  );
}
