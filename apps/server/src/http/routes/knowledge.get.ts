import { knowledgeSourceSchema, successEnvelope } from '@pollybot/contracts';
import { getChatbot } from '../../features/chatbots/save-chatbot.ts';
import { getKnowledgeSource, toKnowledgeSourceView } from '../../features/knowledge/knowledge-sources.ts';
import type { Services } from '../../services.ts';
import type { App } from '../app-types.ts';
import {
  API_KEY_ERRORS,
  errorResponses,
  knowledgeSourceParamsSchema,
  workspaceSecurity,
} from '../route-schemas.ts';

export function registerKnowledgeGet(app: App, services: Services): void {
  app.get(
    '/api/v1/chatbots/:id/knowledge/:sourceId',
    {
      schema: {
        summary: 'Read a knowledge source and its ingestion status',
        tags: ['knowledge'],
        security: workspaceSecurity,
        params: knowledgeSourceParamsSchema,
        response: {
          200: successEnvelope(knowledgeSourceSchema),
          ...errorResponses([...API_KEY_ERRORS, 'CHATBOT_NOT_FOUND', 'KNOWLEDGE_SOURCE_NOT_FOUND']),
        },
      },
    },
    async (request) => {
      const chatbot = await getChatbot(services, request.workspaceId, request.params.id);
      const source = await getKnowledgeSource(services.db, chatbot.id, request.params.sourceId);
      return { success: true as const, data: toKnowledgeSourceView(source) };
    },
  );
}
