import { loginRequestSchema, sessionSchema, successEnvelope } from '@pollybot/contracts';
import { AppError } from '../../errors/app-error.ts';
import { logIn } from '../../features/accounts/log-in.ts';
import type { Services } from '../../services.ts';
import type { App } from '../app-types.ts';
import { errorResponses } from '../route-schemas.ts';
import { sendSignedIn } from '../session-cookie.ts';

export function registerAuthLoginCreate(app: App, services: Services): void {
  app.post(
    '/api/auth/login',
    {
      schema: {
        summary: 'Sign in with an e-mail address and password; sets the session cookie',
        description:
          'After 5 failed attempts for one e-mail address, or from one IP address, within 15 minutes, each ' +
          'further attempt waits: 1 second after the next failure, doubling with every failure (up to 15 ' +
          'minutes). An attempt made before is answered 429 with Retry-After, and not counted.',
        tags: ['auth'],
        body: loginRequestSchema,
        response: {
          200: successEnvelope(sessionSchema),
          ...errorResponses(['INVALID_CREDENTIALS', 'RATE_LIMIT_EXCEEDED']),
        },
      },
    },
    async (request, reply) => {
      const result = await logIn(services, { ...request.body, ip: request.ip });
      if (result.kind === 'limited') {
        throw new AppError('RATE_LIMIT_EXCEEDED', {
          message: 'Too many failed sign-in attempts; retry later',
          extra: { retryAfter: result.retryAfter },
        });
      }
      if (result.kind === 'invalid') throw new AppError('INVALID_CREDENTIALS');
      return sendSignedIn(services.db, request, reply, result.signedIn, 200);
    },
  );
}
