import { knowledgeSourceSchema, listEnvelope, listQuerySchema } from '@pollybot/contracts';
import { getChatbot } from '../../features/chatbots/save-chatbot.ts';
import { listKnowledgeSourceViews } from '../../features/knowledge/knowledge-sources.ts';
import type { Services } from '../../services.ts';
import type { App } from '../app-types.ts';
import { API_KEY_ERRORS, chatbotParamsSchema, errorResponses, workspaceSecurity } from '../route-schemas.ts';

export function registerKnowledgeList(app: App, services: Services): void {
  app.get(
    '/api/v1/chatbots/:id/knowledge',
    {
      schema: {
        summary: 'List a chatbot’s knowledge sources, newest first',
        tags: ['knowledge'],
        security: workspaceSecurity,
        params: chatbotParamsSchema,
        querystring: listQuerySchema,
        response: {
          200: listEnvelope(knowledgeSourceSchema),
          ...errorResponses([...API_KEY_ERRORS, 'CHATBOT_NOT_FOUND']),
        },
      },
    },
    async (request) => {
      const chatbot = await getChatbot(services, request.workspaceId, request.params.id);
      const page = await listKnowledgeSourceViews(services, chatbot.id, request.query);
      return { success: true as const, data: page.items, nextCursor: page.nextCursor };
    },
  );
}
