import { chatbotSchema, chatbotUpdateSchema, successEnvelope } from '@pollybot/contracts';
import { toChatbotView } from '../../features/chatbots/chatbot-view.ts';
import { patchChatbot } from '../../features/chatbots/save-chatbot.ts';
import type { Services } from '../../services.ts';
import type { App } from '../app-types.ts';
import { CHANGE_ERRORS, chatbotParamsSchema, errorResponses, workspaceSecurity } from '../route-schemas.ts';

export function registerChatbotsUpdate(app: App, services: Services): void {
  app.patch(
    '/api/v1/chatbots/:id',
    {
      schema: {
        summary: 'Update some of a chatbot’s settings',
        tags: ['chatbots'],
        security: workspaceSecurity,
        params: chatbotParamsSchema,
        body: chatbotUpdateSchema,
        response: {
          200: successEnvelope(chatbotSchema),
          ...errorResponses([...CHANGE_ERRORS, 'CHATBOT_NOT_FOUND']),
        },
      },
    },
    async (request) => {
      const row = await patchChatbot(services, request.workspaceId, request.params.id, request.body);
      return { success: true as const, data: toChatbotView(row) };
    },
  );
}
