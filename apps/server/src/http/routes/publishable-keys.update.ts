import { publishableKeySchema, publishableKeyUpdateSchema, successEnvelope } from '@pollybot/contracts';
import { updatePublishableKey } from '../../features/widget/publishable-keys.ts';
import type { Services } from '../../services.ts';
import type { App } from '../app-types.ts';
import {
  CHANGE_ERRORS,
  errorResponses,
  publishableKeyParamsSchema,
  workspaceSecurity,
} from '../route-schemas.ts';

export function registerPublishableKeysUpdate(app: App, services: Services): void {
  app.patch(
    '/api/v1/chatbots/:id/publishable-keys/:keyId',
    {
      schema: {
        summary: 'Replace a publishable key’s allowed origins',
        tags: ['widget'],
        security: workspaceSecurity,
        params: publishableKeyParamsSchema,
        body: publishableKeyUpdateSchema,
        response: {
          200: successEnvelope(publishableKeySchema),
          ...errorResponses([...CHANGE_ERRORS, 'CHATBOT_NOT_FOUND', 'PUBLISHABLE_KEY_NOT_FOUND']),
        },
      },
    },
    async (request) => {
      const { id: chatbotId, keyId } = request.params;
      const key = await updatePublishableKey(
        services,
        { workspaceId: request.workspaceId, chatbotId, keyId },
        request.body.allowedOrigins,
      );
      return { success: true as const, data: key };
    },
  );
}
