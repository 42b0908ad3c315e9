import { authStateSchema, successEnvelope } from '@pollybot/contracts';
import { isSetupNeeded } from '../../features/accounts/set-up-owner.ts';
import type { Services } from '../../services.ts';
import type { App } from '../app-types.ts';
import { errorResponses } from '../route-schemas.ts';

export function registerAuthStateGet(app: App, services: Services): void {
  app.get(
    '/api/auth/state',
    {
      schema: {
        summary: 'Whether PollyBot still needs its first account (POST /api/auth/setup)',
        tags: ['auth'],
        response: { 200: successEnvelope(authStateSchema), ...errorResponses([]) },
      },
    },
    async () => ({ success: true as const, data: { needsSetup: await isSetupNeeded(services.db) } }),
  );
}
