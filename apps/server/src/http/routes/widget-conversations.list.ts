import { conversationSummarySchema, listEnvelope, listQuerySchema } from '@pollybot/contracts';
import { listWidgetConversations } from '../../features/widget/visitor-conversations.ts';
import type { Services } from '../../services.ts';
import type { App } from '../app-types.ts';
import { createVisitorSessionHook } from '../plugins/authenticate-visitor.ts';
import { errorResponses, VISITOR_ERRORS, visitorSecurity } from '../route-schemas.ts';

export function registerWidgetConversationsList(app: App, services: Services): void {
  app.get(
    '/api/widget/v1/conversations',
    {
      onRequest: createVisitorSessionHook(services),
      schema: {
        summary: 'The visitor’s own conversations with the chatbot, newest first',
        tags: ['widget-public'],
        security: visitorSecurity,
        querystring: listQuerySchema,
        response: { 200: listEnvelope(conversationSummarySchema), ...errorResponses(VISITOR_ERRORS) },
      },
    },
    async (request) => {
      const page = await listWidgetConversations(services, request.visitor, request.query);
      return { success: true as const, data: page.items, nextCursor: page.nextCursor };
    },
  );
}
