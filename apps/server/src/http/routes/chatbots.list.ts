import { chatbotSchema, listEnvelope, listQuerySchema } from '@pollybot/contracts';
import { listChatbotViews } from '../../features/chatbots/list-chatbots.ts';
import type { Services } from '../../services.ts';
import type { App } from '../app-types.ts';
import { API_KEY_ERRORS, errorResponses, workspaceSecurity } from '../route-schemas.ts';

export function registerChatbotsList(app: App, services: Services): void {
  app.get(
    '/api/v1/chatbots',
    {
      schema: {
        summary: 'List chatbots, newest first',
        tags: ['chatbots'],
        security: workspaceSecurity,
        querystring: listQuerySchema,
        response: { 200: listEnvelope(chatbotSchema), ...errorResponses(API_KEY_ERRORS) },
      },
    },
    async (request) => {
      const page = await listChatbotViews(services, request.workspaceId, request.query);
      return { success: true as const, data: page.items, nextCursor: page.nextCursor };
    },
  );
}
