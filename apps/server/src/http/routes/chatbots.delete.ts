import { successEnvelope } from '@pollybot/contracts';
import { z } from 'zod';
import { deleteChatbot } from '../../db/chatbots.repository.ts';
import { AppError } from '../../errors/app-error.ts';
import type { Services } from '../../services.ts';
import type { App } from '../app-types.ts';
import { API_KEY_ERRORS, apiKeySecurity, errorResponses } from '../route-schemas.ts';
import { chatbotParamsSchema } from './chatbots.get.ts';

export function registerChatbotsDelete(app: App, services: Services): void {
  app.delete(
    '/api/v1/chatbots/:id',
    {
      schema: {
        summary: 'Delete a chatbot with its conversations',
        tags: ['chatbots'],
        security: apiKeySecurity,
        params: chatbotParamsSchema,
        response: {
          200: successEnvelope(z.object({ id: z.string(), deleted: z.literal(true) })),
          ...errorResponses([...API_KEY_ERRORS, 'CHATBOT_NOT_FOUND']),
        },
      },
    },
    async (request) => {
      const deleted = await deleteChatbot(services.db, request.workspaceId, request.params.id);
      if (!deleted) throw new AppError('CHATBOT_NOT_FOUND');
      return { success: true as const, data: { id: request.params.id, deleted: true as const } };
    },
  );
}
