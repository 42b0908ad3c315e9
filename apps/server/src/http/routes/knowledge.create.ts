import { createKnowledgeSourceSchema } from '@pollybot/contracts';
import { createKnowledgeSource, toKnowledgeSourceView } from '../../features/knowledge/knowledge-sources.ts';
import { knowledgeDeps, type Services } from '../../services.ts';
import type { App } from '../app-types.ts';
import { admitKnowledgeWrite, KNOWLEDGE_CREATED_RESPONSES } from '../knowledge-writes.ts';
import { chatbotParamsSchema, workspaceSecurity } from '../route-schemas.ts';

export function registerKnowledgeCreate(app: App, services: Services): void {
  const deps = knowledgeDeps(services);
  app.post(
    '/api/v1/chatbots/:id/knowledge',
    {
      schema: {
        summary: 'Add a knowledge source (text or Q&A pairs) for the chatbot to answer from',
        description:
          'Answers at once with the source `queued`; it is chunked and indexed in the background ' +
          '(`processing`, then `ready` or `failed` with `error`). Per workspace, knowledge changes are rate ' +
          'limited (429 `RATE_LIMIT_EXCEEDED` with `Retry-After`) and sources waiting to be processed and ' +
          'stored bytes are capped (409 `KNOWLEDGE_QUOTA_EXCEEDED`).',
        tags: ['knowledge'],
        security: workspaceSecurity,
        params: chatbotParamsSchema,
        body: createKnowledgeSourceSchema,
        response: KNOWLEDGE_CREATED_RESPONSES,
      },
    },
    async (request, reply) => {
      const chatbot = await admitKnowledgeWrite(services, reply, request.workspaceId, request.params.id);
      const source = await createKnowledgeSource(deps, chatbot, request.body);
      reply.code(201);
      return { success: true as const, data: toKnowledgeSourceView(source) };
    },
  );
}
