import { successEnvelope, widgetConfigSchema, widgetSettingsUpdateSchema } from '@pollybot/contracts';
import { updateWidgetSettings } from '../../features/widget/widget-settings.ts';
import type { Services } from '../../services.ts';
import type { App } from '../app-types.ts';
import { CHANGE_ERRORS, chatbotParamsSchema, errorResponses, workspaceSecurity } from '../route-schemas.ts';

export function registerWidgetSettingsUpdate(app: App, services: Services): void {
  app.put(
    '/api/v1/chatbots/:id/widget',
    {
      schema: {
        summary: 'Change some of the chatbot’s widget settings (`limits` as a whole); the rest is kept',
        tags: ['widget'],
        security: workspaceSecurity,
        params: chatbotParamsSchema,
        body: widgetSettingsUpdateSchema,
        response: {
          200: successEnvelope(widgetConfigSchema),
          ...errorResponses([...CHANGE_ERRORS, 'CHATBOT_NOT_FOUND']),
        },
      },
    },
    async (request) => {
      const config = await updateWidgetSettings(
        services,
        request.workspaceId,
        request.params.id,
        request.body,
      );
      return { success: true as const, data: config };
    },
  );
}
