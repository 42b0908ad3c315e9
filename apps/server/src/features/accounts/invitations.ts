import type { AcceptInvitationRequest, InvitationCreate } from '@pollybot/contracts';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import {
  findPendingInvitation,
  insertInvitation,
  markInvitationAccepted,
} from '../../db/invitations.repository.ts';
import { findMembership, insertMembership } from '../../db/memberships.repository.ts';
import { findUserByEmail, insertUser } from '../../db/users.repository.ts';
import { AppError } from '../../errors/app-error.ts';
import type { Clock } from '../../lib/clock.ts';
import type { IdGenerator } from '../../lib/ids.ts';
import { hashPassword, verifyPassword } from './password-hash.ts';
import { assertCanManageMembers, type RequestRole } from './roles.ts';
import { generateSecretToken, hashSecretToken } from './secret-token.ts';
import { type SignedIn, startSession } from './sessions.ts';

export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

type Deps = { db: Kysely<Database>; clock: Clock; ids: IdGenerator };

/** Invites someone by e-mail address; the token is in the answer and nowhere else (only its hash is stored). */
export async function createInvitation(
  deps: Deps,
  inviter: { workspaceId: string; userId: string | undefined; role: RequestRole },
  input: InvitationCreate,
) {
  assertCanManageMembers(inviter.role);
  const existing = await findUserByEmail(deps.db, input.email);
  if (existing && (await findMembership(deps.db, inviter.workspaceId, existing.id))) {
    const message = 'already a member of this workspace';
    throw new AppError('VALIDATION_ERROR', {
      message: `Invalid request: body.email: ${message}`,
      extra: { details: [{ path: 'body.email', message }] },
    });
  }
  const now = deps.clock.now();
  const token = generateSecretToken();
  const row = {
    id: deps.ids(),
    workspace_id: inviter.workspaceId,
    email: input.email,
    role: input.role,
    token_hash: hashSecretToken(token),
    invited_by: inviter.userId ?? null,
    created_at: now.toISOString(),
    expires_at: new Date(now.getTime() + INVITATION_TTL_MS).toISOString(),
    accepted_at: null,
  };
  await insertInvitation(deps.db, row);
  return { id: row.id, email: row.email, role: row.role, token, expiresAt: row.expires_at };
}

/**
 * Accepts an invitation once: creates the account (or, for an address that has one, checks its password),
 * joins the workspace and signs in. Throws INVITATION_NOT_FOUND for an unknown, used or expired token.
 */
export async function acceptInvitation(deps: Deps, input: AcceptInvitationRequest): Promise<SignedIn> {
  const now = deps.clock.now().toISOString();
  const invitation = await findPendingInvitation(deps.db, hashSecretToken(input.token), now);
  if (!invitation) throw new AppError('INVITATION_NOT_FOUND');
  const existing = await findUserByEmail(deps.db, invitation.email);
  if (existing && !(await verifyPassword(input.password, existing.password_hash)))
    throw new AppError('INVALID_CREDENTIALS');
  // Hashed before the transaction: scrypt's tenth of a second should not hold the database's write lock.
  const passwordHash = existing ? undefined : await hashPassword(input.password);

  return deps.db.transaction().execute(async (trx) => {
    if (!(await markInvitationAccepted(trx, invitation.id, now))) throw new AppError('INVITATION_NOT_FOUND');
    const userId = existing?.id ?? deps.ids();
    if (passwordHash) {
      await insertUser(trx, {
        id: userId,
        email: invitation.email,
        name: input.name,
        password_hash: passwordHash,
        created_at: now,
      });
    }
    const membership = await findMembership(trx, invitation.workspace_id, userId);
    const role = membership?.role ?? invitation.role;
    if (!membership)
      await insertMembership(trx, {
        workspace_id: invitation.workspace_id,
        user_id: userId,
        role,
        created_at: now,
      });
    const member = { userId, workspaceId: invitation.workspace_id };
    const grant = await startSession(deps, trx, member);
    return { ...member, role, grant };
  });
}
