import { invitationParamsSchema, revokedSchema, successEnvelope } from '@pollybot/contracts';
import { revokeInvitation } from '../../features/accounts/invitations.ts';
import type { Services } from '../../services.ts';
import type { App } from '../app-types.ts';
import { CHANGE_ERRORS, errorResponses, sessionSecurity } from '../route-schemas.ts';

export function registerInvitationsDelete(app: App, services: Services): void {
  app.delete(
    '/api/v1/invitations/:invitationId',
    {
      schema: {
        summary: 'Revoke a pending invitation; its link stops working at once',
        description:
          'For the owner and admins (403 FORBIDDEN otherwise, and for API keys). 404 INVITATION_NOT_FOUND for ' +
          'an invitation that is accepted, already revoked, or of another workspace.',
        tags: ['members'],
        security: sessionSecurity,
        params: invitationParamsSchema,
        response: {
          200: successEnvelope(revokedSchema),
          ...errorResponses([...CHANGE_ERRORS, 'FORBIDDEN', 'INVITATION_NOT_FOUND']),
        },
      },
    },
    async (request) => {
      await revokeInvitation(
        services.db,
        { workspaceId: request.workspaceId, role: request.role },
        request.params.invitationId,
      );
      return { success: true as const, data: { id: request.params.invitationId, revoked: true as const } };
    },
  );
}
