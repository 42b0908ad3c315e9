import type { Kysely } from 'kysely';
import type { Database, MembershipRow, WorkspaceRole } from './database.ts';

export type MemberRow = {
  user_id: string;
  email: string;
  name: string;
  role: WorkspaceRole;
  created_at: string;
};

export async function insertMembership(db: Kysely<Database>, row: MembershipRow): Promise<void> {
  await db.insertInto('memberships').values(row).execute();
}

export function findMembership(
  db: Kysely<Database>,
  workspaceId: string,
  userId: string,
): Promise<MembershipRow | undefined> {
  return db
    .selectFrom('memberships')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
}

/** The workspace a user joined first: where signing in takes them. */
export function findFirstMembership(
  db: Kysely<Database>,
  userId: string,
): Promise<MembershipRow | undefined> {
  return db
    .selectFrom('memberships')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('created_at', 'asc')
    .orderBy('workspace_id', 'asc')
    .limit(1)
    .executeTakeFirst();
}

/** Everyone in the workspace, in the order they joined (the owner first). */
export function listMembers(db: Kysely<Database>, workspaceId: string): Promise<MemberRow[]> {
  return db
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .select([
      'memberships.user_id',
      'users.email',
      'users.name',
      'memberships.role',
      'memberships.created_at',
    ])
    .where('memberships.workspace_id', '=', workspaceId)
    .orderBy('memberships.created_at', 'asc')
    .orderBy('memberships.user_id', 'asc')
    .execute();
}

/** Removes a membership other than the owner's; answers false when there is no such removable membership. */
export async function deleteNonOwnerMembership(
  db: Kysely<Database>,
  workspaceId: string,
  userId: string,
): Promise<boolean> {
  const result = await db
    .deleteFrom('memberships')
    .where('workspace_id', '=', workspaceId)
    .where('user_id', '=', userId)
    .where('role', '!=', 'owner')
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

export async function countMembershipsOfUser(db: Kysely<Database>, userId: string): Promise<number> {
  const row = await db
    .selectFrom('memberships')
    .select((eb) => eb.fn.countAll<number | string>().as('count'))
    .where('user_id', '=', userId)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** The workspace's owner's membership, or undefined while it has none (an operator-made workspace). */
export function findOwnerMembership(
  db: Kysely<Database>,
  workspaceId: string,
): Promise<MembershipRow | undefined> {
  return db
    .selectFrom('memberships')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('role', '=', 'owner')
    .executeTakeFirst();
}
