import { creditAdjustmentSchema, pathIdSchema, successEnvelope } from '@pollybot/contracts';
import { z } from 'zod';
import { MAX_CREDIT_BALANCE } from '../../db/credits.repository.ts';
import { findWorkspace } from '../../db/workspaces.repository.ts';
import { AppError } from '../../errors/app-error.ts';
import { validationError } from '../../errors/validation-error.ts';
import type { Services } from '../../services.ts';
import type { App } from '../app-types.ts';
import { ADMIN_ERRORS, adminSecurity, errorResponses } from '../route-schemas.ts';

export function registerAdminCreditsCreate(app: App, services: Services): void {
  app.post(
    '/api/admin/workspaces/:id/credits',
    {
      schema: {
        summary: 'Add (or, with a negative amount, remove) credits',
        description:
          'Removing more credits than the balance holds is refused: the balance never goes below zero. Nor does ' +
          'it go above 2,147,483,647.',
        tags: ['admin'],
        security: adminSecurity,
        params: z.object({ id: pathIdSchema }),
        body: creditAdjustmentSchema,
        response: {
          200: successEnvelope(z.object({ credits: z.number().int() })),
          ...errorResponses([...ADMIN_ERRORS, 'WORKSPACE_NOT_FOUND']),
        },
      },
    },
    async (request) => {
      const workspace = await findWorkspace(services.db, request.params.id);
      if (!workspace) throw new AppError('WORKSPACE_NOT_FOUND');
      const { amount } = request.body;
      const credits = await services.credits.adjust(
        workspace.id,
        amount,
        amount > 0 ? 'grant' : 'adjustment',
      );
      if (credits === undefined) {
        const [message, detail] =
          amount > 0
            ? [
                `adding ${amount} credits would take the balance above ${MAX_CREDIT_BALANCE.toLocaleString('en-US')}`,
                `would take the balance above ${MAX_CREDIT_BALANCE.toLocaleString('en-US')}`,
              ]
            : [
                `removing ${-amount} credits would take the balance below zero`,
                'would take the balance below zero',
              ];
        throw validationError('body.amount', detail, `Invalid request: body.amount: ${message}`);
      }
      return { success: true as const, data: { credits } };
    },
  );
}
