import type { AcceptInvitationRequest, InvitationCreate } from '@pollybot/contracts';
import type { Kysely } from 'kysely';
import type { Database, InvitationRow, WorkspaceRole } from '../../db/database.ts';
import {
  deletePendingInvitation,
  deletePendingOwnerInvitations,
  findPendingInvitation,
  insertInvitation,
  listPendingInvitations,
  markInvitationAccepted,
  recordFailedAcceptance,
} from '../../db/invitations.repository.ts';
import { findMembership, findOwnerMembership, insertMembership } from '../../db/memberships.repository.ts';
import type { PageOptions } from '../../db/page.ts';
import { findUserByEmail, insertUser } from '../../db/users.repository.ts';
import { findWorkspace } from '../../db/workspaces.repository.ts';
import { AppError } from '../../errors/app-error.ts';
import { invalidField } from '../../errors/validation-error.ts';
import type { Clock } from '../../lib/clock.ts';
import type { IdGenerator } from '../../lib/ids.ts';
import type { RateLimiter } from '../rate-limits/rate-limiter.ts';
import { hashPassword, verifyPassword } from './password-hash.ts';
import { assertCanManageMembers, type RequestRole } from './roles.ts';
import { generateSecretToken, hashSecretToken } from './secret-token.ts';
import { type SignedIn, startSession } from './sessions.ts';
import { beginSignInAttempt, endSignInAttemptFailed, endSignInAttemptSucceeded } from './sign-in-throttle.ts';

const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/** Wrong passwords an invitation survives: the next one voids it. */
const INVITATION_MAX_FAILED_ATTEMPTS = 5;

type Deps = { db: Kysely<Database>; clock: Clock; ids: IdGenerator };

/** The API's view of an invitation (never its token, which only its creation answers). */
function toInvitationView(row: InvitationRow) {
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    createdBy: row.invited_by,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
  };
}

/** Stores an invitation; the token is in the answer and nowhere else (only its hash is stored). */
async function issueInvitation(
  deps: Deps,
  input: { workspaceId: string; email: string; role: WorkspaceRole; invitedBy: string | null },
) {
  const existing = await findUserByEmail(deps.db, input.email);
  if (existing && (await findMembership(deps.db, input.workspaceId, existing.id)))
    throw invalidField('email', 'already a member of this workspace');
  const now = deps.clock.now();
  const token = generateSecretToken();
  const row: InvitationRow = {
    id: deps.ids(),
    workspace_id: input.workspaceId,
    email: input.email,
    role: input.role,
    token_hash: hashSecretToken(token),
    invited_by: input.invitedBy,
    failed_attempts: 0,
    created_at: now.toISOString(),
    expires_at: new Date(now.getTime() + INVITATION_TTL_MS).toISOString(),
    accepted_at: null,
  };
  await insertInvitation(deps.db, row);
  return { ...toInvitationView(row), token };
}

/** Invites someone by e-mail address, as the owner or an admin of the workspace. */
export async function createInvitation(
  deps: Deps,
  inviter: { workspaceId: string; userId: string | undefined; role: RequestRole },
  input: InvitationCreate,
) {
  assertCanManageMembers(inviter.role);
  return issueInvitation(deps, {
    ...input,
    workspaceId: inviter.workspaceId,
    invitedBy: inviter.userId ?? null,
  });
}

/**
 * The operator API's invitation of the first owner of a workspace it made (setup never joins one).
 * WORKSPACE_NOT_FOUND for an unknown workspace; WORKSPACE_HAS_OWNER once it has one.
 */
export async function inviteFirstOwner(deps: Deps, workspaceId: string, email: string) {
  if (!(await findWorkspace(deps.db, workspaceId))) throw new AppError('WORKSPACE_NOT_FOUND');
  if (await findOwnerMembership(deps.db, workspaceId)) throw new AppError('WORKSPACE_HAS_OWNER');
  const invitation = await issueInvitation(deps, { workspaceId, email, role: 'owner', invitedBy: null });
  return { ...invitation, acceptPath: `/#/accept?token=${invitation.token}` };
}

/** The workspace's pending invitations, newest first; for the owner and admins. */
export async function listInvitations(
  deps: Pick<Deps, 'db' | 'clock'>,
  caller: { workspaceId: string; role: RequestRole },
  options: PageOptions,
) {
  assertCanManageMembers(caller.role);
  const page = await listPendingInvitations(
    deps.db,
    caller.workspaceId,
    deps.clock.now().toISOString(),
    options,
  );
  return { items: page.items.map(toInvitationView), nextCursor: page.nextCursor };
}

/** Revokes a pending invitation of the workspace; INVITATION_NOT_FOUND for any other. */
export async function revokeInvitation(
  db: Kysely<Database>,
  caller: { workspaceId: string; role: RequestRole },
  invitationId: string,
): Promise<void> {
  assertCanManageMembers(caller.role);
  if (!(await deletePendingInvitation(db, caller.workspaceId, invitationId)))
    throw new AppError('INVITATION_NOT_FOUND');
}

export type AcceptInvitationResult =
  | { kind: 'accepted'; signedIn: SignedIn }
  | { kind: 'limited'; retryAfter: number };

/**
 * Accepts an invitation once, joins the workspace and signs in. For a new address it creates the account.
 * An address that has an account accepts only from that account's session (SIGN_IN_REQUIRED otherwise,
 * before any password is looked at, so the answer says nothing about the password), confirming its password:
 * each wrong one counts as a failed sign-in, and the invitation is void after a few. Throws
 * INVITATION_NOT_FOUND for an unknown, used, revoked or expired token.
 */
export async function acceptInvitation(
  deps: Deps & { limiter: RateLimiter },
  input: AcceptInvitationRequest,
  caller: { userId: string | undefined; ip: string },
): Promise<AcceptInvitationResult> {
  const now = deps.clock.now().toISOString();
  const invitation = await findPendingInvitation(deps.db, hashSecretToken(input.token), now);
  if (!invitation) throw new AppError('INVITATION_NOT_FOUND');
  const existing = await findUserByEmail(deps.db, invitation.email);
  if (existing) {
    if (caller.userId !== existing.id) throw new AppError('SIGN_IN_REQUIRED');
    const attempt = await beginSignInAttempt(deps, { email: existing.email, ip: caller.ip });
    if (attempt.kind === 'limited') return attempt;
    if (!(await verifyPassword(input.password, existing.password_hash))) {
      await recordFailedAcceptance(deps.db, invitation.id, INVITATION_MAX_FAILED_ATTEMPTS);
      await endSignInAttemptFailed(deps, attempt);
      throw new AppError('INVALID_CREDENTIALS');
    }
    await endSignInAttemptSucceeded(deps, attempt);
  } else if (input.name === undefined) {
    throw invalidField('name', 'required for a new account');
  }
  if (invitation.role === 'owner' && (await findOwnerMembership(deps.db, invitation.workspace_id)))
    throw new AppError('WORKSPACE_HAS_OWNER');
  // Hashed before the transaction: scrypt's tenth of a second should not hold the database's write lock.
  const passwordHash = existing ? undefined : await hashPassword(input.password);
  const signedIn = await joinByInvitation(deps, invitation, {
    existingUserId: existing?.id,
    passwordHash,
    name: input.name ?? '',
  }).catch(async (error: unknown) => {
    // Two first-owner invitations accepted at once: the one-owner index lets one through.
    if (
      !(error instanceof AppError) &&
      invitation.role === 'owner' &&
      (await findOwnerMembership(deps.db, invitation.workspace_id))
    )
      throw new AppError('WORKSPACE_HAS_OWNER');
    throw error;
  });
  return { kind: 'accepted', signedIn };
}

/** In one transaction: marks the invitation accepted, creates the account when needed, joins and signs in. */
function joinByInvitation(
  deps: Deps,
  invitation: InvitationRow,
  input: { existingUserId: string | undefined; passwordHash: string | undefined; name: string },
): Promise<SignedIn> {
  const now = deps.clock.now().toISOString();
  const { existingUserId: existingId, passwordHash } = input;
  return deps.db.transaction().execute(async (trx) => {
    if (!(await markInvitationAccepted(trx, invitation.id, now))) throw new AppError('INVITATION_NOT_FOUND');
    // A workspace has one owner: the other first-owner links the operator sent stop working with this one.
    if (invitation.role === 'owner') await deletePendingOwnerInvitations(trx, invitation.workspace_id);
    const userId = existingId ?? deps.ids();
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

/** What a pending invitation offers (workspace, address, role), for its link's page; undefined if none. */
export async function previewInvitation(deps: Pick<Deps, 'db' | 'clock'>, token: string) {
  const now = deps.clock.now().toISOString();
  const invitation = await findPendingInvitation(deps.db, hashSecretToken(token), now);
  const workspace = invitation && (await findWorkspace(deps.db, invitation.workspace_id));
  if (!invitation || !workspace) return undefined;
  return {
    workspaceName: workspace.name,
    email: invitation.email,
    role: invitation.role,
    expiresAt: invitation.expires_at,
  };
}
