import { revokedSchema, successEnvelope } from '@pollybot/contracts';
import { revokePublishableKeyOf } from '../../features/widget/publishable-keys.ts';
import type { Services } from '../../services.ts';
import type { App } from '../app-types.ts';
import {
  CHANGE_ERRORS,
  errorResponses,
  publishableKeyParamsSchema,
  workspaceSecurity,
} from '../route-schemas.ts';

export function registerPublishableKeysDelete(app: App, services: Services): void {
  app.delete(
    '/api/v1/chatbots/:id/publishable-keys/:keyId',
    {
      schema: {
        summary: 'Revoke a publishable key; its visitor sessions end and it starts no more',
        tags: ['widget'],
        security: workspaceSecurity,
        params: publishableKeyParamsSchema,
        response: {
          200: successEnvelope(revokedSchema),
          ...errorResponses([...CHANGE_ERRORS, 'CHATBOT_NOT_FOUND', 'PUBLISHABLE_KEY_NOT_FOUND']),
        },
      },
    },
    async (request) => {
      const { id: chatbotId, keyId } = request.params;
      await revokePublishableKeyOf(services, { workspaceId: request.workspaceId, chatbotId, keyId });
      return { success: true as const, data: { id: keyId, revoked: true as const } };
    },
  );
}
