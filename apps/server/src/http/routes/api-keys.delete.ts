import { pathIdSchema, revokedSchema, successEnvelope } from '@pollybot/contracts';
import { z } from 'zod';
import { revokeApiKey } from '../../features/api-keys/revoke-api-key.ts';
import type { Services } from '../../services.ts';
import type { App } from '../app-types.ts';
import { CHANGE_ERRORS, errorResponses, workspaceSecurity } from '../route-schemas.ts';

export function registerApiKeysDelete(app: App, services: Services): void {
  app.delete(
    '/api/v1/api-keys/:id',
    {
      schema: {
        summary: 'Revoke an API key; later use of it gives 401',
        tags: ['api-keys'],
        security: workspaceSecurity,
        params: z.object({ id: pathIdSchema }),
        response: {
          200: successEnvelope(revokedSchema),
          ...errorResponses([...CHANGE_ERRORS, 'API_KEY_NOT_FOUND']),
        },
      },
    },
    async (request) => {
      // Every instance drops the key from its cache before this answers.
      await revokeApiKey(services, request.workspaceId, request.params.id);
      return { success: true as const, data: { id: request.params.id, revoked: true as const } };
    },
  );
}
