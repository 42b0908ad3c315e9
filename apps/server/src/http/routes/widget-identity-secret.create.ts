import { identitySecretSchema, successEnvelope } from '@pollybot/contracts';
import { rotateIdentitySecret } from '../../features/widget/widget-settings.ts';
import type { Services } from '../../services.ts';
import type { App } from '../app-types.ts';
import { CHANGE_ERRORS, chatbotParamsSchema, errorResponses, workspaceSecurity } from '../route-schemas.ts';

export function registerWidgetIdentitySecretCreate(app: App, services: Services): void {
  app.post(
    '/api/v1/chatbots/:id/widget/identity-secret',
    {
      schema: {
        summary: 'Make a new identity secret (shown only in this response; the previous one stops working)',
        description:
          'Your backend signs each visitor’s identity as an HS256 JWT with this secret (`sub` required, `exp` ' +
          'at most 24 hours ahead, optional `name`, `email`, and `aud` set to the chatbot’s id).',
        tags: ['widget'],
        security: workspaceSecurity,
        params: chatbotParamsSchema,
        response: {
          201: successEnvelope(identitySecretSchema),
          ...errorResponses([...CHANGE_ERRORS, 'CHATBOT_NOT_FOUND']),
        },
      },
    },
    async (request, reply) => {
      const secret = await rotateIdentitySecret(services, request.workspaceId, request.params.id);
      return reply.code(201).send({ success: true, data: secret });
    },
  );
}
