import { pathIdSchema, successEnvelope, widgetConversationSchema } from '@pollybot/contracts';
import { z } from 'zod';
import { getWidgetConversation } from '../../features/widget/visitor-conversations.ts';
import type { Services } from '../../services.ts';
import type { App } from '../app-types.ts';
import { createVisitorSessionHook } from '../plugins/authenticate-visitor.ts';
import { errorResponses, VISITOR_ERRORS, visitorSecurity } from '../route-schemas.ts';

export function registerWidgetConversationsGet(app: App, services: Services): void {
  app.get(
    '/api/widget/v1/conversations/:id',
    {
      onRequest: createVisitorSessionHook(services),
      schema: {
        summary: 'One of the visitor’s conversations with its last 100 messages',
        tags: ['widget-public'],
        security: visitorSecurity,
        params: z.object({ id: pathIdSchema }),
        response: {
          200: successEnvelope(widgetConversationSchema),
          ...errorResponses([...VISITOR_ERRORS, 'CONVERSATION_NOT_FOUND']),
        },
      },
    },
    async (request) => {
      const conversation = await getWidgetConversation(services, request.visitor, request.params.id);
      return { success: true as const, data: conversation };
    },
  );
}
