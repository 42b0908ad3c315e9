import { sessionSchema, successEnvelope } from '@pollybot/contracts';
import { AppError } from '../../errors/app-error.ts';
import { authenticateSession, describeSession } from '../../features/accounts/sessions.ts';
import type { Services } from '../../services.ts';
import type { App } from '../app-types.ts';
import { errorResponses, sessionSecurity } from '../route-schemas.ts';
import { readSessionToken } from '../session-cookie.ts';

export function registerAuthSessionGet(app: App, services: Services): void {
  app.get(
    '/api/auth/session',
    {
      schema: {
        summary: 'Who is signed in, in which workspace, as what, with the CSRF token for changes',
        tags: ['auth'],
        security: sessionSecurity,
        response: { 200: successEnvelope(sessionSchema), ...errorResponses(['NOT_AUTHENTICATED']) },
      },
    },
    async (request) => {
      const session = await authenticateSession(services, readSessionToken(request));
      const view = session ? await describeSession(services.db, session) : undefined;
      if (!view) throw new AppError('NOT_AUTHENTICATED');
      return { success: true as const, data: view };
    },
  );
}
