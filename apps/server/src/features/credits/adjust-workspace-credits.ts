import type { Kysely } from 'kysely';
import { MAX_CREDIT_BALANCE } from '../../db/credits.repository.ts';
import type { Database } from '../../db/database.ts';
import { findWorkspace } from '../../db/workspaces.repository.ts';
import { AppError } from '../../errors/app-error.ts';
import type { CreditService } from './credit-service.ts';

/**
 * The balance after an adjustment, or the refusal (the balance would leave 0..`maximum`) with the bound it
 * would have passed.
 */
export type CreditAdjustment =
  | { ok: true; credits: number }
  | { ok: false; bound: 'maximum' | 'zero'; maximum: number };

/**
 * Adds (or, with a negative amount, removes) credits through the ledger, as a grant or an adjustment;
 * WORKSPACE_NOT_FOUND for a workspace that does not exist.
 */
export async function adjustWorkspaceCredits(
  deps: { db: Kysely<Database>; credits: Pick<CreditService, 'adjust'> },
  workspaceId: string,
  amount: number,
): Promise<CreditAdjustment> {
  const workspace = await findWorkspace(deps.db, workspaceId);
  if (!workspace) throw new AppError('WORKSPACE_NOT_FOUND');
  const credits = await deps.credits.adjust(workspace.id, amount, amount > 0 ? 'grant' : 'adjustment');
  if (credits === undefined) {
    return { ok: false, bound: amount > 0 ? 'maximum' : 'zero', maximum: MAX_CREDIT_BALANCE };
  }
  return { ok: true, credits };
}
