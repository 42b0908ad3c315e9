import {
  invitationPreviewRequestSchema,
  invitationPreviewSchema,
  successEnvelope,
} from '@pollybot/contracts';
import { AppError } from '../../errors/app-error.ts';
import { previewInvitation } from '../../features/accounts/invitations.ts';
import type { Services } from '../../services.ts';
import type { App } from '../app-types.ts';
import { errorResponses } from '../route-schemas.ts';

export function registerInvitationsPreviewCreate(app: App, services: Services): void {
  app.post(
    '/api/auth/invitations/preview',
    {
      schema: {
        summary: 'What an invitation link offers: the workspace, the invited address and the role',
        description:
          'The token goes in the body (not the path) so it stays out of access logs. Changes nothing; an ' +
          'unknown, used, revoked or expired token answers 404 INVITATION_NOT_FOUND.',
        tags: ['auth'],
        body: invitationPreviewRequestSchema,
        response: {
          200: successEnvelope(invitationPreviewSchema),
          ...errorResponses(['INVITATION_NOT_FOUND']),
        },
      },
    },
    async (request) => {
      const preview = await previewInvitation(services, request.body.token);
      if (!preview) throw new AppError('INVITATION_NOT_FOUND');
      return { success: true as const, data: preview };
    },
  );
}
