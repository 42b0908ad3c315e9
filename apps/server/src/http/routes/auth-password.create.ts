import { passwordChangedSchema, passwordChangeRequestSchema, successEnvelope } from '@pollybot/contracts';
import { AppError } from '../../errors/app-error.ts';
import { validationError } from '../../errors/validation-error.ts';
import { changePassword } from '../../features/accounts/change-password.ts';
import { authenticateSession } from '../../features/accounts/sessions.ts';
import type { Services } from '../../services.ts';
import type { App } from '../app-types.ts';
import { errorResponses, sessionSecurity } from '../route-schemas.ts';
import { hasCsrfToken, readSessionToken } from '../session-cookie.ts';

export function registerAuthPasswordCreate(app: App, services: Services): void {
  app.post(
    '/api/auth/password',
    {
      schema: {
        summary: 'Change your password: needs the current one; your other sessions end',
        description:
          'The session making the change stays signed in; every other session of the person, in every ' +
          'workspace, ends. A wrong current password answers 400 VALIDATION_ERROR on body.currentPassword and ' +
          'counts as a failed sign-in (the same throttle as POST /api/auth/login).',
        tags: ['auth'],
        security: sessionSecurity,
        body: passwordChangeRequestSchema,
        response: {
          200: successEnvelope(passwordChangedSchema),
          ...errorResponses(['NOT_AUTHENTICATED', 'CSRF_TOKEN_INVALID', 'RATE_LIMIT_EXCEEDED']),
        },
      },
    },
    async (request) => {
      const token = readSessionToken(request);
      const session = await authenticateSession(services, token);
      if (!session || !token) throw new AppError('NOT_AUTHENTICATED');
      if (!hasCsrfToken(request, session.csrfToken)) throw new AppError('CSRF_TOKEN_INVALID');
      const result = await changePassword(services, {
        userId: session.userId,
        sessionToken: token,
        currentPassword: request.body.currentPassword,
        newPassword: request.body.newPassword,
        ip: request.ip,
      });
      if (result.kind === 'limited') {
        throw new AppError('RATE_LIMIT_EXCEEDED', {
          message: 'Too many wrong passwords; retry later',
          extra: { retryAfter: result.retryAfter },
        });
      }
      if (result.kind === 'wrong-password') {
        throw validationError('body.currentPassword', 'is not your current password');
      }
      return {
        success: true as const,
        data: { passwordChanged: true as const, endedSessions: result.endedSessions },
      };
    },
  );
}
