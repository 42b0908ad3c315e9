import { chatbotCreateSchema, chatbotSchema, successEnvelope } from '@pollybot/contracts';
import { toChatbotView } from '../../features/chatbots/chatbot-view.ts';
import { createChatbot } from '../../features/chatbots/save-chatbot.ts';
import { chatbotCreateDeps, type Services } from '../../services.ts';
import type { App } from '../app-types.ts';
import { CHANGE_ERRORS, errorResponses, workspaceSecurity } from '../route-schemas.ts';

export function registerChatbotsCreate(app: App, services: Services): void {
  const deps = chatbotCreateDeps(services);
  app.post(
    '/api/v1/chatbots',
    {
      schema: {
        summary: 'Create a chatbot',
        tags: ['chatbots'],
        security: workspaceSecurity,
        body: chatbotCreateSchema,
        response: { 201: successEnvelope(chatbotSchema), ...errorResponses(CHANGE_ERRORS) },
      },
    },
    async (request, reply) => {
      const row = await createChatbot(deps, request.workspaceId, request.body);
      return reply.code(201).send({ success: true, data: toChatbotView(row) });
    },
  );
}
