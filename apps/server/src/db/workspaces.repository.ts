import type { Kysely } from 'kysely';
import type { Database, NewWorkspaceRow, WorkspaceRow } from './database.ts';
import { fetchPage, type Page, type PageOptions } from './page.ts';

export async function insertWorkspace(db: Kysely<Database>, row: NewWorkspaceRow): Promise<void> {
  await db.insertInto('workspaces').values(row).execute();
}

export function findWorkspace(db: Kysely<Database>, id: string): Promise<WorkspaceRow | undefined> {
  return db.selectFrom('workspaces').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The workspace's credit balance; undefined for an unknown workspace. */
export async function readCreditBalance(db: Kysely<Database>, id: string): Promise<number | undefined> {
  const row = await db.selectFrom('workspaces').select('credits').where('id', '=', id).executeTakeFirst();
  return row === undefined ? undefined : Number(row.credits);
}

export async function listWorkspaces(
  db: Kysely<Database>,
  options: PageOptions,
): Promise<Page<WorkspaceRow>> {
  return fetchPage(db.selectFrom('workspaces').selectAll(), options);
}

export async function countWorkspaces(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('workspaces')
    .select((eb) => eb.fn.countAll<number | string>().as('count'))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** The oldest workspace of that origin, or undefined when there is none. */
export function findFirstWorkspaceOf(
  db: Kysely<Database>,
  origin: WorkspaceRow['origin'],
): Promise<WorkspaceRow | undefined> {
  return db
    .selectFrom('workspaces')
    .selectAll()
    .where('origin', '=', origin)
    .orderBy('created_at', 'asc')
    .orderBy('id', 'asc')
    .limit(1)
    .executeTakeFirst();
}
