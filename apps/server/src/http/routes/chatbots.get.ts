import { chatbotSchema, successEnvelope } from '@pollybot/contracts';
import { toChatbotView } from '../../features/chatbots/chatbot-view.ts';
import { getChatbot } from '../../features/chatbots/save-chatbot.ts';
import type { Services } from '../../services.ts';
import type { App } from '../app-types.ts';
import { API_KEY_ERRORS, chatbotParamsSchema, errorResponses, workspaceSecurity } from '../route-schemas.ts';

export function registerChatbotsGet(app: App, services: Services): void {
  app.get(
    '/api/v1/chatbots/:id',
    {
      schema: {
        summary: 'Read a chatbot',
        tags: ['chatbots'],
        security: workspaceSecurity,
        params: chatbotParamsSchema,
        response: {
          200: successEnvelope(chatbotSchema),
          ...errorResponses([...API_KEY_ERRORS, 'CHATBOT_NOT_FOUND']),
        },
      },
    },
    async (request) => {
      const row = await getChatbot(services, request.workspaceId, request.params.id);
      return { success: true as const, data: toChatbotView(row) };
    },
  );
}
