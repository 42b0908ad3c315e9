import { listActiveChatbots } from '../../features/chatbots/active-chatbots.ts';
import type { Services } from '../../services.ts';
import type { App } from '../app-types.ts';
import { toModelObject } from '../openai/model-object.ts';
import { openAiModelsListSchema } from '../openai/openai-route-schemas.ts';

/** GET /api/openai/v1/models: the workspace's active chatbots, as OpenAI's model list. */
export function registerOpenAiModelsList(app: App, services: Services): void {
  app.get('/models', { schema: openAiModelsListSchema }, async (request) => {
    const chatbots = await listActiveChatbots(services, request.workspaceId);
    return {
      object: 'list' as const,
      data: chatbots.map((chatbot) => toModelObject(chatbot, request.workspaceId)),
    };
  });
}
