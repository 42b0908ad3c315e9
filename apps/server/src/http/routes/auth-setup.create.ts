import { sessionSchema, setupRequestSchema, successEnvelope } from '@pollybot/contracts';
import { AppError } from '../../errors/app-error.ts';
import { setUpOwner } from '../../features/accounts/set-up-owner.ts';
import type { Services } from '../../services.ts';
import type { App } from '../app-types.ts';
import { errorResponses } from '../route-schemas.ts';
import { sendSignedIn } from '../session-cookie.ts';

export function registerAuthSetupCreate(app: App, services: Services): void {
  app.post(
    '/api/auth/setup',
    {
      schema: {
        summary:
          'Create the first account, with the setup token from the server’s start-up output; signs it in',
        description:
          'Only while no account exists (409 SETUP_ALREADY_DONE after), and only with `setupToken`: a token the ' +
          'server printed at start while setup was needed, or POLLYBOT_ADMIN_TOKEN (401 SETUP_TOKEN_INVALID ' +
          'otherwise). The owner joins the demo workspace, or a new "Default workspace" when there is none; ' +
          'never a workspace made through the operator API (invite its owner with ' +
          'POST /api/admin/workspaces/{id}/invitations). Sets the session cookie.',
        tags: ['auth'],
        body: setupRequestSchema,
        response: {
          201: successEnvelope(sessionSchema),
          ...errorResponses(['SETUP_ALREADY_DONE', 'SETUP_TOKEN_INVALID', 'RATE_LIMIT_EXCEEDED']),
        },
      },
    },
    async (request, reply) => {
      const result = await setUpOwner(
        { ...services, adminToken: services.config.adminToken },
        { ...request.body, ip: request.ip },
      );
      if (result.kind === 'limited') {
        throw new AppError('RATE_LIMIT_EXCEEDED', {
          message: 'Too many wrong setup tokens; retry later',
          extra: { retryAfter: result.retryAfter },
        });
      }
      return sendSignedIn(services.db, request, reply, result.signedIn, 201);
    },
  );
}
