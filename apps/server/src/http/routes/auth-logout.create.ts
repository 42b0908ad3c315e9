import { loggedOutSchema, successEnvelope } from '@pollybot/contracts';
import { AppError } from '../../errors/app-error.ts';
import { authenticateSession, endSession } from '../../features/accounts/sessions.ts';
import type { Services } from '../../services.ts';
import type { App } from '../app-types.ts';
import { errorResponses } from '../route-schemas.ts';
import { clearSessionCookie, hasCsrfToken, readSessionToken } from '../session-cookie.ts';

export function registerAuthLogoutCreate(app: App, services: Services): void {
  app.post(
    '/api/auth/logout',
    {
      schema: {
        summary: 'Sign out: ends the session and clears its cookie',
        description:
          'A valid session must send its X-CSRF-Token. Without a valid session this still answers 200 and clears ' +
          'the cookie.',
        tags: ['auth'],
        response: {
          200: successEnvelope(loggedOutSchema),
          ...errorResponses(['CSRF_TOKEN_INVALID']),
        },
      },
    },
    async (request, reply) => {
      const token = readSessionToken(request);
      const session = await authenticateSession(services, token);
      // Otherwise any site could sign a visitor out with a form.
      if (session && !hasCsrfToken(request, session.csrfToken)) throw new AppError('CSRF_TOKEN_INVALID');
      if (token) await endSession(services, token);
      clearSessionCookie(request, reply);
      return { success: true as const, data: { loggedOut: true as const } };
    },
  );
}
