import { ledgerEntrySchema, listEnvelope, listQuerySchema } from '@pollybot/contracts';
import { listLedger } from '../../db/credits.repository.ts';
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
      const page = await listLedger(services.db, request.workspaceId, request.query);
      return {
        success: true as const,
        data: page.items.map((row) => ({
          id: row.id,
          amount: row.amount,
          balanceAfter: row.balance_after,
          reason: row.reason,
          createdAt: row.created_at,
        })),
        nextCursor: page.nextCursor,
      };
    },
  );
}
