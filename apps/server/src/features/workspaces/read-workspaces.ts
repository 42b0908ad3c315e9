import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { Page, PageOptions } from '../../db/page.ts';
import { findWorkspace, listWorkspaces } from '../../db/workspaces.repository.ts';
import { toWorkspaceView } from './create-workspace.ts';

type WorkspaceView = ReturnType<typeof toWorkspaceView>;

/** A workspace with its credit balance, as the API shows it; undefined when there is none. */
export async function findWorkspaceView(
  deps: { db: Kysely<Database> },
  id: string,
): Promise<WorkspaceView | undefined> {
  const row = await findWorkspace(deps.db, id);
  return row && toWorkspaceView(row);
}

/** Every workspace, newest first, a page at a time (the operator API). */
export async function listWorkspaceViews(
  deps: { db: Kysely<Database> },
  options: PageOptions,
): Promise<Page<WorkspaceView>> {
  const page = await listWorkspaces(deps.db, options);
  return { items: page.items.map(toWorkspaceView), nextCursor: page.nextCursor };
}
