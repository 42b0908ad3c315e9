import { deletedSchema, successEnvelope } from '@pollybot/contracts';
import { removeChatbot } from '../../features/chatbots/save-chatbot.ts';
import type { Services } from '../../services.ts';
import type { App } from '../app-types.ts';
import { CHANGE_ERRORS, chatbotParamsSchema, errorResponses, workspaceSecurity } from '../route-schemas.ts';

export function registerChatbotsDelete(app: App, services: Services): void {
  app.delete(
    '/api/v1/chatbots/:id',
    {
      schema: {
        summary: 'Delete a chatbot with its conversations',
        tags: ['chatbots'],
        security: workspaceSecurity,
        params: chatbotParamsSchema,
        response: {
          200: successEnvelope(deletedSchema),
          ...errorResponses([...CHANGE_ERRORS, 'CHATBOT_NOT_FOUND']),
        },
      },
    },
    async (request) => {
      await removeChatbot(services, request.workspaceId, request.params.id);
      return { success: true as const, data: { id: request.params.id, deleted: true as const } };
    },
  );
}
