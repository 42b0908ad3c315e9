import { successEnvelope, widgetConfigQuerySchema, widgetPublicConfigSchema } from '@pollybot/contracts';
import { findKeyAndChatbot } from '../../features/widget/visitor-sessions.ts';
import { toPublicConfig } from '../../features/widget/widget-settings.ts';
import type { Services } from '../../services.ts';
import type { App } from '../app-types.ts';
import { errorResponses } from '../route-schemas.ts';
import { allowWidgetOrigin } from '../widget-cors.ts';

export function registerWidgetConfigGet(app: App, services: Services): void {
  app.get(
    '/api/widget/v1/config',
    {
      schema: {
        summary: 'The widget’s look, for a publishable key (public; CORS for the key’s allowed origins)',
        tags: ['widget-public'],
        querystring: widgetConfigQuerySchema,
        response: {
          200: successEnvelope(widgetPublicConfigSchema),
          ...errorResponses(['PUBLISHABLE_KEY_INVALID', 'ORIGIN_NOT_ALLOWED']),
        },
      },
    },
    async (request, reply) => {
      const { chatbot, settings, allowedOrigins } = await findKeyAndChatbot(services, request.query.key);
      allowWidgetOrigin(request, reply, (origin) => allowedOrigins.includes(origin));
      reply.header('cache-control', 'no-cache');
      return { success: true as const, data: toPublicConfig(chatbot.id, settings) };
    },
  );
}
