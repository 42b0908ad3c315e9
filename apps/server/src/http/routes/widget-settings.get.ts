import { successEnvelope, widgetConfigSchema } from '@pollybot/contracts';
import { getWidgetConfig } from '../../features/widget/widget-settings.ts';
import type { Services } from '../../services.ts';
import type { App } from '../app-types.ts';
import { API_KEY_ERRORS, chatbotParamsSchema, errorResponses, workspaceSecurity } from '../route-schemas.ts';

export function registerWidgetSettingsGet(app: App, services: Services): void {
  app.get(
    '/api/v1/chatbots/:id/widget',
    {
      schema: {
        summary: 'Read the chatbot’s widget settings (the defaults until changed)',
        tags: ['widget'],
        security: workspaceSecurity,
        params: chatbotParamsSchema,
        response: {
          200: successEnvelope(widgetConfigSchema),
          ...errorResponses([...API_KEY_ERRORS, 'CHATBOT_NOT_FOUND']),
        },
      },
    },
    async (request) => {
      const config = await getWidgetConfig(services, request.workspaceId, request.params.id);
      return { success: true as const, data: config };
    },
  );
}
