import { invitationCreatedSchema, invitationCreateSchema, successEnvelope } from '@pollybot/contracts';
import { createInvitation } from '../../features/accounts/invitations.ts';
import type { Services } from '../../services.ts';
import type { App } from '../app-types.ts';
import { CHANGE_ERRORS, errorResponses, sessionSecurity } from '../route-schemas.ts';

export function registerInvitationsCreate(app: App, services: Services): void {
  app.post(
    '/api/v1/invitations',
    {
      schema: {
        summary: 'Invite someone to the workspace (the token is shown only in this response)',
        description:
          'For the owner and admins (403 FORBIDDEN otherwise, and for API keys). The invitee opens ' +
          '`/#/accept?token=...` within 7 days; the token works once.',
        tags: ['members'],
        security: sessionSecurity,
        body: invitationCreateSchema,
        response: {
          201: successEnvelope(invitationCreatedSchema),
          ...errorResponses([...CHANGE_ERRORS, 'FORBIDDEN']),
        },
      },
    },
    async (request, reply) => {
      const invitation = await createInvitation(
        services,
        { workspaceId: request.workspaceId, userId: request.userId, role: request.role },
        request.body,
      );
      return reply.code(201).send({ success: true, data: invitation });
    },
  );
}
