import { deletedSchema, successEnvelope } from '@pollybot/contracts';
import { removeKnowledgeSource } from '../../features/knowledge/knowledge-sources.ts';
import { knowledgeDeps, type Services } from '../../services.ts';
import type { App } from '../app-types.ts';
import { admitKnowledgeWrite } from '../knowledge-writes.ts';
import {
  CHANGE_ERRORS,
  errorResponses,
  knowledgeSourceParamsSchema,
  workspaceSecurity,
} from '../route-schemas.ts';

export function registerKnowledgeDelete(app: App, services: Services): void {
  const deps = knowledgeDeps(services);
  app.delete(
    '/api/v1/chatbots/:id/knowledge/:sourceId',
    {
      schema: {
        summary: 'Delete a knowledge source and its chunks',
        tags: ['knowledge'],
        security: workspaceSecurity,
        params: knowledgeSourceParamsSchema,
        response: {
          200: successEnvelope(deletedSchema),
          ...errorResponses([
            ...CHANGE_ERRORS,
            'CHATBOT_NOT_FOUND',
            'KNOWLEDGE_SOURCE_NOT_FOUND',
            'RATE_LIMIT_EXCEEDED',
          ]),
        },
      },
    },
    async (request, reply) => {
      const chatbot = await admitKnowledgeWrite(services, reply, request.workspaceId, request.params.id);
      await removeKnowledgeSource(deps, chatbot.id, request.params.sourceId);
      return { success: true as const, data: { id: request.params.sourceId, deleted: true as const } };
    },
  );
}
