import { creditAdjustmentSchema, pathIdSchema, successEnvelope } from '@pollybot/contracts';
import { z } from 'zod';
import { validationError } from '../../errors/validation-error.ts';
import { adjustWorkspaceCredits } from '../../features/credits/adjust-workspace-credits.ts';
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
      const { amount } = request.body;
      const adjustment = await adjustWorkspaceCredits(services, request.params.id, amount);
      if (!adjustment.ok) {
        const maximum = adjustment.maximum.toLocaleString('en-US');
        const [message, detail] =
          adjustment.bound === 'maximum'
            ? [
                `adding ${amount} credits would take the balance above ${maximum}`,
                `would take the balance above ${maximum}`,
              ]
            : [
                `removing ${-amount} credits would take the balance below zero`,
                'would take the balance below zero',
              ];
        throw validationError('body.amount', detail, `Invalid request: body.amount: ${message}`);
      }
      return { success: true as const, data: { credits: adjustment.credits } };
    },
  );
}
