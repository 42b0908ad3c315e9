import { acceptInvitationRequestSchema, sessionSchema, successEnvelope } from '@pollybot/contracts';
import { acceptInvitation } from '../../features/accounts/invitations.ts';
import type { Services } from '../../services.ts';
import type { App } from '../app-types.ts';
import { errorResponses } from '../route-schemas.ts';
import { sendSignedIn } from '../session-cookie.ts';

export function registerInvitationsAccept(app: App, services: Services): void {
  app.post(
    '/api/auth/invitations/accept',
    {
      schema: {
        summary: 'Accept an invitation: creates the account, joins the workspace and signs in',
        description:
          'For an e-mail address that already has an account, the password must be that account’s (401 ' +
          'otherwise) and the name is left as it is. Sets the session cookie.',
        tags: ['auth'],
        body: acceptInvitationRequestSchema,
        response: {
          201: successEnvelope(sessionSchema),
          ...errorResponses(['INVITATION_NOT_FOUND', 'INVALID_CREDENTIALS']),
        },
      },
    },
    async (request, reply) => {
      const signedIn = await acceptInvitation(services, request.body);
      return sendSignedIn(services.db, request, reply, signedIn, 201);
    },
  );
}
