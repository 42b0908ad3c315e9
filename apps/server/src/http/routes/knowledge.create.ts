import {
  createKnowledgeSourceSchema,
  knowledgeSourceSchema,
  pathIdSchema,
  successEnvelope,
} from '@pollybot/contracts';
import { z } from 'zod';
import { getChatbot } from '../../features/chatbots/save-chatbot.ts';
import { createKnowledgeSource, toKnowledgeSourceView } from '../../features/knowledge/knowledge-sources.ts';
import type { Services } from '../../services.ts';
import type { App } from '../app-types.ts';
import { CHANGE_ERRORS, errorResponses, workspaceSecurity } from '../route-schemas.ts';

export const knowledgeParamsSchema = z.object({ id: pathIdSchema });
export const knowledgeSourceParamsSchema = z.object({ id: pathIdSchema, sourceId: pathIdSchema });

export function registerKnowledgeCreate(app: App, services: Services): void {
  app.post(
    '/api/v1/chatbots/:id/knowledge',
    {
      schema: {
        summary: 'Add a knowledge source (text or Q&A pairs) for the chatbot to answer from',
        description:
          'Answers at once with the source `queued`; it is chunked and indexed in the background ' +
          '(`processing`, then `ready` or `failed` with `error`).',
        tags: ['knowledge'],
        security: workspaceSecurity,
        params: knowledgeParamsSchema,
        body: createKnowledgeSourceSchema,
        response: {
          201: successEnvelope(knowledgeSourceSchema),
          ...errorResponses([...CHANGE_ERRORS, 'CHATBOT_NOT_FOUND']),
        },
      },
    },
    async (request, reply) => {
      const chatbot = await getChatbot(services, request.workspaceId, request.params.id);
      const source = await createKnowledgeSource(services, chatbot, request.body);
      reply.code(201);
      return { success: true as const, data: toKnowledgeSourceView(source) };
    },
  );
}
