import { listEnvelope, listQuerySchema, publishableKeySchema } from '@pollybot/contracts';
import { listPublishableKeyViews } from '../../features/widget/publishable-keys.ts';
import type { Services } from '../../services.ts';
import type { App } from '../app-types.ts';
import { API_KEY_ERRORS, chatbotParamsSchema, errorResponses, workspaceSecurity } from '../route-schemas.ts';

export function registerPublishableKeysList(app: App, services: Services): void {
  app.get(
    '/api/v1/chatbots/:id/publishable-keys',
    {
      schema: {
        summary: 'List the chatbot’s publishable keys, newest first, revoked ones included',
        tags: ['widget'],
        security: workspaceSecurity,
        params: chatbotParamsSchema,
        querystring: listQuerySchema,
        response: {
          200: listEnvelope(publishableKeySchema),
          ...errorResponses([...API_KEY_ERRORS, 'CHATBOT_NOT_FOUND']),
        },
      },
    },
    async (request) => {
      const page = await listPublishableKeyViews(
        services,
        request.workspaceId,
        request.params.id,
        request.query,
      );
      return { success: true as const, data: page.items, nextCursor: page.nextCursor };
    },
  );
}
