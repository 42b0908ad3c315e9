import { apiKeyCreatedSchema, apiKeyCreateSchema, successEnvelope } from '@pollybot/contracts';
import { createApiKey } from '../../features/api-keys/create-api-key.ts';
import type { Services } from '../../services.ts';
import type { App } from '../app-types.ts';
import { CHANGE_ERRORS, errorResponses, workspaceSecurity } from '../route-schemas.ts';

export function registerApiKeysCreate(app: App, services: Services): void {
  app.post(
    '/api/v1/api-keys',
    {
      schema: {
        summary: 'Create an API key (the secret is shown only in this response)',
        tags: ['api-keys'],
        security: workspaceSecurity,
        body: apiKeyCreateSchema,
        response: { 201: successEnvelope(apiKeyCreatedSchema), ...errorResponses(CHANGE_ERRORS) },
      },
    },
    async (request, reply) => {
      const { row, key } = await createApiKey(
        services,
        request.workspaceId,
        request.body.name,
        request.userId,
      );
      return reply.code(201).send({
        success: true,
        data: {
          id: row.id,
          name: row.name,
          key,
          prefix: row.prefix,
          createdBy: row.created_by,
          createdAt: row.created_at,
        },
      });
    },
  );
}
