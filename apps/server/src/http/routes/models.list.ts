import { modelCatalogSchema, successEnvelope } from '@pollybot/contracts';
import { describeModels } from '../../features/models/describe-models.ts';
import type { Services } from '../../services.ts';
import type { App } from '../app-types.ts';
import { API_KEY_ERRORS, errorResponses, workspaceSecurity } from '../route-schemas.ts';

export function registerModelsList(app: App, services: Services): void {
  app.get(
    '/api/v1/models',
    {
      schema: {
        summary:
          'What a chatbot’s model may be on this server: providers, whether configured, suggested names',
        tags: ['models'],
        security: workspaceSecurity,
        response: { 200: successEnvelope(modelCatalogSchema), ...errorResponses(API_KEY_ERRORS) },
      },
    },
    async () => ({ success: true as const, data: describeModels(services.models, services.config) }),
  );
}
