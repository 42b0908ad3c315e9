import { publishableKeyCreateSchema, publishableKeySchema, successEnvelope } from '@pollybot/contracts';
import { createPublishableKey } from '../../features/widget/publishable-keys.ts';
import type { Services } from '../../services.ts';
import type { App } from '../app-types.ts';
import { CHANGE_ERRORS, chatbotParamsSchema, errorResponses, workspaceSecurity } from '../route-schemas.ts';

export function registerPublishableKeysCreate(app: App, services: Services): void {
  app.post(
    '/api/v1/chatbots/:id/publishable-keys',
    {
      schema: {
        summary: 'Create a publishable key for the chatbot’s website widget',
        description:
          'The key is public by design (it goes in the page’s script tag) and can only start visitor sessions ' +
          'of this chatbot from the listed origins; with no origin listed it refuses every site. At most 20 ' +
          'live keys per chatbot.',
        tags: ['widget'],
        security: workspaceSecurity,
        params: chatbotParamsSchema,
        body: publishableKeyCreateSchema,
        response: {
          201: successEnvelope(publishableKeySchema),
          ...errorResponses([...CHANGE_ERRORS, 'CHATBOT_NOT_FOUND', 'PUBLISHABLE_KEY_LIMIT_REACHED']),
        },
      },
    },
    async (request, reply) => {
      const key = await createPublishableKey(
        services,
        { workspaceId: request.workspaceId, chatbotId: request.params.id, createdBy: request.userId },
        request.body,
      );
      return reply.code(201).send({ success: true, data: key });
    },
  );
}
