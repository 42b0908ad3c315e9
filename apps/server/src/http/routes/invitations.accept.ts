import { acceptInvitationRequestSchema, sessionSchema, successEnvelope } from '@pollybot/contracts';
import { AppError } from '../../errors/app-error.ts';
import { acceptInvitation } from '../../features/accounts/invitations.ts';
import { authenticateSession } from '../../features/accounts/sessions.ts';
import type { Services } from '../../services.ts';
import type { App } from '../app-types.ts';
import { errorResponses } from '../route-schemas.ts';
import { hasCsrfToken, readSessionToken, sendSignedIn } from '../session-cookie.ts';

export function registerInvitationsAccept(app: App, services: Services): void {
  app.post(
    '/api/auth/invitations/accept',
    {
      schema: {
        summary:
          'Accept an invitation: creates the account (or uses yours), joins the workspace and signs in',
        description:
          'For a new e-mail address, `name` and `password` make the account. An address that already has an ' +
          'account accepts only while signed in as it (its session cookie and X-CSRF-Token): otherwise 401 ' +
          'SIGN_IN_REQUIRED, whatever the password. Signed in, `password` confirms the account’s password: a ' +
          'wrong one is 401 INVALID_CREDENTIALS and counts as a failed sign-in (429 RATE_LIMIT_EXCEEDED when ' +
          'they must wait), and after 5 the invitation is void. Sets the session cookie.',
        tags: ['auth'],
        body: acceptInvitationRequestSchema,
        response: {
          201: successEnvelope(sessionSchema),
          ...errorResponses([
            'INVITATION_NOT_FOUND',
            'SIGN_IN_REQUIRED',
            'INVALID_CREDENTIALS',
            'RATE_LIMIT_EXCEEDED',
            'WORKSPACE_HAS_OWNER',
          ]),
        },
      },
    },
    async (request, reply) => {
      const session = await authenticateSession(services, readSessionToken(request));
      // A session counts only with its CSRF token: another site's form cannot accept in someone's name.
      const userId = session && hasCsrfToken(request, session.csrfToken) ? session.userId : undefined;
      const result = await acceptInvitation(services, request.body, { userId, ip: request.ip });
      if (result.kind === 'limited') {
        throw new AppError('RATE_LIMIT_EXCEEDED', {
          message: 'Too many failed sign-in attempts; retry later',
          extra: { retryAfter: result.retryAfter },
        });
      }
      return sendSignedIn(services.db, request, reply, result.signedIn, 201);
    },
  );
}
