import type { Kysely } from 'kysely';
import type { Database, InvitationRow } from './database.ts';
import { fetchPage, type Page, type PageOptions } from './page.ts';

export async function insertInvitation(db: Kysely<Database>, row: InvitationRow): Promise<void> {
  await db.insertInto('invitations').values(row).execute();
}

/** An invitation that is neither accepted nor expired, by the hash of its token. */
export function findPendingInvitation(
  db: Kysely<Database>,
  tokenHash: string,
  now: string,
): Promise<InvitationRow | undefined> {
  return db
    .selectFrom('invitations')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .where('accepted_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
}

/** The workspace's invitations that are neither accepted nor expired, newest first. */
export function listPendingInvitations(
  db: Kysely<Database>,
  workspaceId: string,
  now: string,
  options: PageOptions,
): Promise<Page<InvitationRow>> {
  return fetchPage(
    db
      .selectFrom('invitations')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('accepted_at', 'is', null)
      .where('expires_at', '>', now),
    options,
  );
}

/** Marks a pending invitation accepted; answers false when another request accepted it first. */
export async function markInvitationAccepted(
  db: Kysely<Database>,
  id: string,
  now: string,
): Promise<boolean> {
  const result = await db
    .updateTable('invitations')
    .set({ accepted_at: now })
    .where('id', '=', id)
    .where('accepted_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Deletes a pending invitation of the workspace; answers false when there is no such pending invitation. */
export async function deletePendingInvitation(
  db: Kysely<Database>,
  workspaceId: string,
  id: string,
): Promise<boolean> {
  const result = await db
    .deleteFrom('invitations')
    .where('id', '=', id)
    .where('workspace_id', '=', workspaceId)
    .where('accepted_at', 'is', null)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** Deletes the pending invitations someone issued in the workspace; answers how many. */
export async function deletePendingInvitationsBy(
  db: Kysely<Database>,
  workspaceId: string,
  invitedBy: string,
): Promise<number> {
  const result = await db
    .deleteFrom('invitations')
    .where('workspace_id', '=', workspaceId)
    .where('invited_by', '=', invitedBy)
    .where('accepted_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Deletes the workspace's pending owner invitations; answers how many. */
export async function deletePendingOwnerInvitations(
  db: Kysely<Database>,
  workspaceId: string,
): Promise<number> {
  const result = await db
    .deleteFrom('invitations')
    .where('workspace_id', '=', workspaceId)
    .where('role', '=', 'owner')
    .where('accepted_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * Counts a wrong password given to accept the invitation, and voids it (deletes it) once `maxFailures` are
 * reached. The count is one atomic update, so parallel guesses cannot slip past the cap.
 */
export async function recordFailedAcceptance(
  db: Kysely<Database>,
  id: string,
  maxFailures: number,
): Promise<void> {
  await db
    .updateTable('invitations')
    .set((eb) => ({ failed_attempts: eb('failed_attempts', '+', 1) }))
    .where('id', '=', id)
    .execute();
  await db
    .deleteFrom('invitations')
    .where('id', '=', id)
    .where('accepted_at', 'is', null)
    .where('failed_attempts', '>=', maxFailures)
    .execute();
}
