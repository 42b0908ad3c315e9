import { sessionSchema, setupRequestSchema, successEnvelope } from '@pollybot/contracts';
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
        summary: 'Create the first account: the owner of the first workspace; signs it in',
        description:
          'Only while no account exists. The owner joins the oldest workspace (the demo one on a fresh install), ' +
          'or a new "Default workspace" when there is none. Sets the session cookie.',
        tags: ['auth'],
        body: setupRequestSchema,
        response: { 201: successEnvelope(sessionSchema), ...errorResponses(['SETUP_ALREADY_DONE']) },
      },
    },
    async (request, reply) => {
      const signedIn = await setUpOwner(services, request.body);
      return sendSignedIn(services.db, request, reply, signedIn, 201);
    },
  );
}
