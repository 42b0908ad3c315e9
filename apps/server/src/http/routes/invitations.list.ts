import { invitationSchema, listEnvelope, listQuerySchema } from '@pollybot/contracts';
import { listInvitations } from '../../features/accounts/invitations.ts';
import type { Services } from '../../services.ts';
import type { App } from '../app-types.ts';
import { API_KEY_ERRORS, errorResponses, sessionSecurity } from '../route-schemas.ts';

export function registerInvitationsList(app: App, services: Services): void {
  app.get(
    '/api/v1/invitations',
    {
      schema: {
        summary: 'The workspace’s pending invitations (neither accepted, revoked nor expired), newest first',
        description:
          'For the owner and admins (403 FORBIDDEN otherwise, and for API keys). Tokens are never shown.',
        tags: ['members'],
        security: sessionSecurity,
        querystring: listQuerySchema,
        response: {
          200: listEnvelope(invitationSchema),
          ...errorResponses([...API_KEY_ERRORS, 'FORBIDDEN']),
        },
      },
    },
    async (request) => {
      const page = await listInvitations(
        services,
        { workspaceId: request.workspaceId, role: request.role },
        request.query,
      );
      return { success: true as const, data: page.items, nextCursor: page.nextCursor };
    },
  );
}
