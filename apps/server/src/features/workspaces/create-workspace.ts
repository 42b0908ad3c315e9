import type { Kysely } from 'kysely';
import type { Database, WorkspaceRow } from '../../db/database.ts';
import { insertWorkspace } from '../../db/workspaces.repository.ts';
import type { Clock } from '../../lib/clock.ts';
import type { IdGenerator } from '../../lib/ids.ts';
import { createApiKey } from '../api-keys/create-api-key.ts';
import type { CreditService } from '../credits/credit-service.ts';

/** What creating a workspace takes: its storage, and the credit service that grants its starting credits. */
export type WorkspaceCreateDeps = {
  db: Kysely<Database>;
  clock: Clock;
  ids: IdGenerator;
  credits: Pick<CreditService, 'adjust'>;
};

/**
 * Creates a workspace with its first API key; starting credits are granted through the ledger. Its origin is
 * 'operator' unless told otherwise: first-run setup never joins such a workspace.
 */
export async function createWorkspace(
  deps: WorkspaceCreateDeps,
  input: { name: string; credits: number; id?: string; origin?: WorkspaceRow['origin'] },
): Promise<{ workspace: WorkspaceRow; apiKey: string }> {
  const now = deps.clock.now().toISOString();
  const workspace: WorkspaceRow = {
    id: input.id ?? deps.ids(),
    name: input.name,
    credits: 0,
    origin: input.origin ?? 'operator',
    created_at: now,
    updated_at: now,
  };
  await insertWorkspace(deps.db, workspace);
  if (input.credits > 0)
    workspace.credits = (await deps.credits.adjust(workspace.id, input.credits, 'grant')) ?? 0;
  const { key } = await createApiKey(deps, workspace.id, 'Default key');
  return { workspace, apiKey: key };
}

export function toWorkspaceView(row: WorkspaceRow) {
  return { id: row.id, name: row.name, credits: row.credits };
}
