import { apiKeySchema, listEnvelope, listQuerySchema } from '@pollybot/contracts';
import { listApiKeyViews } from '../../features/api-keys/list-api-keys.ts';
import type { Services } from '../../services.ts';
import type { App } from '../app-types.ts';
import { API_KEY_ERRORS, errorResponses, workspaceSecurity } from '../route-schemas.ts';

export function registerApiKeysList(app: App, services: Services): void {
  app.get(
    '/api/v1/api-keys',
    {
      schema: {
        summary: 'List API keys, newest first, without their secrets',
        tags: ['api-keys'],
        security: workspaceSecurity,
        querystring: listQuerySchema,
        response: { 200: listEnvelope(apiKeySchema), ...errorResponses(API_KEY_ERRORS) },
      },
    },
    async (request) => {
      const page = await listApiKeyViews(services, request.workspaceId, request.query);
      return { success: true as const, data: page.items, nextCursor: page.nextCursor };
    },
  );
}
