import { knowledgeSourceSchema, successEnvelope } from '@pollybot/contracts';
import { resyncKnowledgeSource, toKnowledgeSourceView } from '../../features/knowledge/knowledge-sources.ts';
import { knowledgeDeps, type Services } from '../../services.ts';
import type { App } from '../app-types.ts';
import { admitKnowledgeWrite, KNOWLEDGE_WRITE_ERRORS } from '../knowledge-writes.ts';
import {
  CHANGE_ERRORS,
  errorResponses,
  knowledgeSourceParamsSchema,
  workspaceSecurity,
} from '../route-schemas.ts';

export function registerKnowledgeResyncCreate(app: App, services: Services): void {
  const deps = knowledgeDeps(services);
  app.post(
    '/api/v1/chatbots/:id/knowledge/:sourceId/resync',
    {
      schema: {
        summary: 'Chunk and index a knowledge source again',
        description:
          'Answers 202 with the source `queued`; its current chunks keep answering until the new ones replace them.',
        tags: ['knowledge'],
        security: workspaceSecurity,
        params: knowledgeSourceParamsSchema,
        response: {
          202: successEnvelope(knowledgeSourceSchema),
          ...errorResponses([
            ...CHANGE_ERRORS,
            'CHATBOT_NOT_FOUND',
            'KNOWLEDGE_SOURCE_NOT_FOUND',
            ...KNOWLEDGE_WRITE_ERRORS,
          ]),
        },
      },
    },
    async (request, reply) => {
      const chatbot = await admitKnowledgeWrite(services, reply, request.workspaceId, request.params.id);
      const source = await resyncKnowledgeSource(deps, chatbot, request.params.sourceId);
      reply.code(202);
      return { success: true as const, data: toKnowledgeSourceView(source) };
    },
  );
}
