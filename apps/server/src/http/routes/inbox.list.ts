import { inboxConversationSchema, inboxQuerySchema, listEnvelope } from '@pollybot/contracts';
import { listInbox } from '../../features/conversations/list-inbox.ts';
import type { Services } from '../../services.ts';
import type { App } from '../app-types.ts';
import { API_KEY_ERRORS, errorResponses, workspaceSecurity } from '../route-schemas.ts';

export function registerInboxList(app: App, services: Services): void {
  app.get(
    '/api/v1/conversations',
    {
      schema: {
        summary: 'The inbox: conversations across chatbots, latest activity first',
        description:
          '`from`/`to` (a UTC day or a timestamp) keep conversations active at some point between them; `userId` ' +
          'those with a message whose `metadata.userId` is that string; `q` those with a message containing the ' +
          'text (case-insensitive; % and _ are ordinary characters).',
        tags: ['conversations'],
        security: workspaceSecurity,
        querystring: inboxQuerySchema,
        response: { 200: listEnvelope(inboxConversationSchema), ...errorResponses(API_KEY_ERRORS) },
      },
    },
    async (request) => {
      const page = await listInbox(services.db, request.workspaceId, request.query);
      return { success: true as const, data: page.items, nextCursor: page.nextCursor };
    },
  );
}
