import type { Kysely } from 'kysely';
import { revokeApiKeysCreatedBy } from '../../db/api-keys.repository.ts';
import type { Database } from '../../db/database.ts';
import { deletePendingInvitationsBy } from '../../db/invitations.repository.ts';
import {
  countMembershipsOfUser,
  deleteNonOwnerMembership,
  findMembership,
  listMembers,
} from '../../db/memberships.repository.ts';
import { deleteSessionsOfMember } from '../../db/sessions.repository.ts';
import { deleteUser } from '../../db/users.repository.ts';
import { AppError } from '../../errors/app-error.ts';
import type { Clock } from '../../lib/clock.ts';
import type { InvalidationBus } from '../cache/invalidation-bus.ts';
import { assertCanManageMembers, assertIsPerson, type RequestRole } from './roles.ts';

/** Everyone in the workspace, the owner first; for signed-in people of any role. */
export async function listWorkspaceMembers(db: Kysely<Database>, workspaceId: string, role: RequestRole) {
  assertIsPerson(role);
  const rows = await listMembers(db, workspaceId);
  return rows.map((row) => ({
    userId: row.user_id,
    email: row.email,
    name: row.name,
    role: row.role,
    joinedAt: row.created_at,
  }));
}

/**
 * Removes someone from the workspace and ends their sessions there; the invitations they issued there are
 * revoked, and so are the API keys they created unless `revokeApiKeys` is false. An account left in no
 * workspace is deleted. The owner cannot be removed (FORBIDDEN); someone outside the workspace is
 * MEMBER_NOT_FOUND. Answers the revoked keys' ids (for the caches) and how many invitations went.
 */
export async function removeMember(
  deps: { db: Kysely<Database>; clock: Clock; invalidations: Pick<InvalidationBus, 'publish'> },
  remover: { workspaceId: string; role: RequestRole },
  userId: string,
  options: { revokeApiKeys: boolean },
): Promise<{ revokedApiKeyIds: string[]; revokedInvitations: number }> {
  const { db } = deps;
  assertCanManageMembers(remover.role);
  const membership = await findMembership(db, remover.workspaceId, userId);
  if (!membership) throw new AppError('MEMBER_NOT_FOUND');
  if (membership.role === 'owner')
    throw new AppError('FORBIDDEN', { message: 'The owner of a workspace cannot be removed' });
  const now = deps.clock.now().toISOString();
  const removed = await db.transaction().execute(async (trx) => {
    if (!(await deleteNonOwnerMembership(trx, remover.workspaceId, userId)))
      throw new AppError('MEMBER_NOT_FOUND');
    await deleteSessionsOfMember(trx, remover.workspaceId, userId);
    const revokedInvitations = await deletePendingInvitationsBy(trx, remover.workspaceId, userId);
    const revokedApiKeyIds = options.revokeApiKeys
      ? await revokeApiKeysCreatedBy(trx, remover.workspaceId, userId, now)
      : [];
    if ((await countMembershipsOfUser(trx, userId)) === 0) await deleteUser(trx, userId);
    return { revokedApiKeyIds, revokedInvitations };
  });
  // Every instance drops the revoked keys from its cache before the removal is answered.
  await Promise.all(removed.revokedApiKeyIds.map((id) => deps.invalidations.publish('api-key', id)));
  return removed;
}
