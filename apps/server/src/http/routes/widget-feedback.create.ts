import { successEnvelope, widgetMessageSchema } from '@pollybot/contracts';
import { rateWidgetReply } from '../../features/widget/visitor-conversations.ts';
import type { Services } from '../../services.ts';
import type { App } from '../app-types.ts';
import { createVisitorSessionHook } from '../plugins/authenticate-visitor.ts';
import {
  errorResponses,
  VISITOR_ERRORS,
  visitorSecurity,
  WIDGET_BODY_LIMIT_BYTES,
} from '../route-schemas.ts';
import { feedbackBodySchema, widgetMessageParamsSchema } from '../widget-schemas.ts';

export function registerWidgetFeedbackCreate(app: App, services: Services): void {
  app.post(
    '/api/widget/v1/messages/:id/feedback',
    {
      bodyLimit: WIDGET_BODY_LIMIT_BYTES,
      onRequest: createVisitorSessionHook(services),
      schema: {
        summary: 'Rate one of the visitor’s replies: thumbs up, down, or null to clear',
        tags: ['widget-public'],
        security: visitorSecurity,
        params: widgetMessageParamsSchema,
        body: feedbackBodySchema,
        response: {
          200: successEnvelope(widgetMessageSchema),
          ...errorResponses([...VISITOR_ERRORS, 'MESSAGE_NOT_FOUND']),
        },
      },
    },
    async (request) => {
      const message = await rateWidgetReply(
        services,
        request.visitor,
        request.params.id,
        request.body.rating,
      );
      return { success: true as const, data: message };
    },
  );
}
