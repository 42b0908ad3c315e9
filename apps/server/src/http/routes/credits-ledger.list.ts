import { ledgerEntrySchema, listEnvelope, listQuerySchema } from '@pollybot/contracts';
import { listLedgerEntries } from '../../features/credits/list-ledger-entries.ts';
import type { Services } from '../../services.ts';
import type { App } from '../app-types.ts';
import { API_KEY_ERRORS, errorResponses, workspaceSecurity } from '../route-schemas.ts';

export function registerCreditsLedgerList(app: App, services: Services): void {
  app.get(
    '/api/v1/credits/ledger',
    {
      schema: {
        summary: 'Every movement of the workspace’s credits, newest first, with the balance after it',
        description:
          'Reasons: `grant` and `adjustment` (the operator API), `reservation` (a reply’s price, held before the ' +
          'model is called) and `release` (a reservation given back because the reply failed or was empty).',
        tags: ['credits'],
        security: workspaceSecurity,
        querystring: listQuerySchema,
        response: { 200: listEnvelope(ledgerEntrySchema), ...errorResponses(API_KEY_ERRORS) },
      },
    },
    async (request) => {
      const page = await listLedgerEntries(services, request.workspaceId, request.query);
      return { success: true as const, data: page.items, nextCursor: page.nextCursor };
    },
  );
}
