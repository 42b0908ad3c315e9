import {
  ownerInvitationCreatedSchema,
  ownerInvitationCreateSchema,
  pathIdSchema,
  successEnvelope,
} from '@pollybot/contracts';
import { z } from 'zod';
import { inviteFirstOwner } from '../../features/accounts/invitations.ts';
import type { Services } from '../../services.ts';
import type { App } from '../app-types.ts';
import { ADMIN_ERRORS, adminSecurity, errorResponses } from '../route-schemas.ts';

export function registerAdminInvitationsCreate(app: App, services: Services): void {
  app.post(
    '/api/admin/workspaces/:id/invitations',
    {
      schema: {
        summary: 'Invite the first owner of a workspace (the token is shown only in this response)',
        description:
          'First-run setup never joins a workspace made through the operator API: its owner comes by this ' +
          'invitation. The invitee opens `acceptPath` on the dashboard’s address within 7 days; the token works ' +
          'once. 409 WORKSPACE_HAS_OWNER once the workspace has an owner (who invites everyone else); the first owner invitation accepted voids the other pending ones.',
        tags: ['admin'],
        security: adminSecurity,
        params: z.object({ id: pathIdSchema }),
        body: ownerInvitationCreateSchema,
        response: {
          201: successEnvelope(ownerInvitationCreatedSchema),
          ...errorResponses([...ADMIN_ERRORS, 'WORKSPACE_NOT_FOUND', 'WORKSPACE_HAS_OWNER']),
        },
      },
    },
    async (request, reply) => {
      const invitation = await inviteFirstOwner(services, request.params.id, request.body.email);
      return reply.code(201).send({ success: true, data: invitation });
    },
  );
}
