import { findActiveChatbot } from '../../features/chatbots/active-chatbots.ts';
import type { Services } from '../../services.ts';
import type { App } from '../app-types.ts';
import { toModelObject } from '../openai/model-object.ts';
import { modelNotFound } from '../openai/openai-error.ts';
import { openAiModelsGetSchema } from '../openai/openai-route-schemas.ts';

/** GET /api/openai/v1/models/{model}: one active chatbot of the workspace as a model; 404 model_not_found else. */
export function registerOpenAiModelsGet(app: App, services: Services): void {
  app.get('/models/:model', { schema: openAiModelsGetSchema }, async (request) => {
    const chatbot = await findActiveChatbot(services, request.workspaceId, request.params.model);
    if (!chatbot) throw modelNotFound(request.params.model);
    return toModelObject(chatbot, request.workspaceId);
  });
}
