import { AppError } from '../../errors/app-error.ts';
import type { Services } from '../../services.ts';
import type { App } from '../app-types.ts';
import { createApiKeyHook } from '../plugins/authenticate.ts';
import { registerOpenAiChatCompletionsCreate } from '../routes/openai-chat-completions.create.ts';
import { registerOpenAiModelsGet } from '../routes/openai-models.get.ts';
import { registerOpenAiModelsList } from '../routes/openai-models.list.ts';
import { registerOpenAiErrorHandlers } from './openai-error.ts';
import { OPENAI_PREFIX } from './openai-route-schemas.ts';

/**
 * The OpenAI-compatible door, `/api/openai/v1`: its own scope, so every answer under the prefix (refusals,
 * validation, unknown paths) has OpenAI's error shape while the native API keeps its envelope.
 */
export async function registerOpenAiDoor(app: App, services: Services): Promise<void> {
  await app.register(
    async (scope) => {
      registerOpenAiErrorHandlers(scope);
      const authenticate = createApiKeyHook(services);
      // A workspace key only, as OpenAI's clients send their API key: the dashboard's session stays on /api/v1.
      scope.addHook('onRequest', async (request) => {
        if (request.headers.authorization === undefined) throw new AppError('INVALID_API_KEY');
        await authenticate(request);
      });
      registerOpenAiModelsList(scope, services);
      registerOpenAiModelsGet(scope, services);
      registerOpenAiChatCompletionsCreate(scope, services);
    },
    { prefix: OPENAI_PREFIX },
  );
}
