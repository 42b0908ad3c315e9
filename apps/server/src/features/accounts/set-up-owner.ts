import type { SetupRequest } from '@pollybot/contracts';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import { insertMembership } from '../../db/memberships.repository.ts';
import { deleteSetupTokens } from '../../db/setup-tokens.repository.ts';
import { hasAnyUser, insertUser } from '../../db/users.repository.ts';
import { findFirstWorkspaceOf, insertWorkspace } from '../../db/workspaces.repository.ts';
import { AppError } from '../../errors/app-error.ts';
import type { Clock } from '../../lib/clock.ts';
import type { IdGenerator } from '../../lib/ids.ts';
import type { RateLimiter } from '../rate-limits/rate-limiter.ts';
import { hashPassword } from './password-hash.ts';
import { type SignedIn, startSession } from './sessions.ts';
import { isSetupTokenAccepted } from './setup-token.ts';
import { beginSignInAttempt, endSignInAttemptFailed, endSignInAttemptSucceeded } from './sign-in-throttle.ts';

/** The workspace a first-time setup creates when there is no demo one; a fixed id, so two racing setups collide. */
const DEFAULT_WORKSPACE = { id: 'default', name: 'Default workspace', origin: 'setup' as const };

type Deps = {
  db: Kysely<Database>;
  clock: Clock;
  ids: IdGenerator;
  limiter: RateLimiter;
  adminToken: string | undefined;
};

export type SetUpOwnerResult =
  | { kind: 'signed-in'; signedIn: SignedIn }
  | { kind: 'limited'; retryAfter: number };

/** True until the first account exists. */
export async function isSetupNeeded(db: Kysely<Database>): Promise<boolean> {
  return !(await hasAnyUser(db));
}

/**
 * Creates the first account and signs it in: the owner of the demo workspace, or of a "Default workspace" it
 * creates, never of a workspace the operator API created (those get their owner by invitation). Needs a setup
 * token printed at start, or the admin token (SETUP_TOKEN_INVALID otherwise). Throws SETUP_ALREADY_DONE once
 * any account exists, also to the loser of two simultaneous setups.
 */
export async function setUpOwner(
  deps: Deps,
  input: SetupRequest & { ip: string },
): Promise<SetUpOwnerResult> {
  if (!(await isSetupNeeded(deps.db))) throw new AppError('SETUP_ALREADY_DONE');
  // Wrong tokens are failed sign-ins of the caller's IP address: the admin token may be short enough to guess.
  const attempt = await beginSignInAttempt(deps, { ip: input.ip });
  if (attempt.kind === 'limited') return attempt;
  if (!(await isSetupTokenAccepted(deps.db, deps.adminToken, input.setupToken))) {
    await endSignInAttemptFailed(deps, attempt);
    throw new AppError('SETUP_TOKEN_INVALID');
  }
  await endSignInAttemptSucceeded(deps, attempt);
  return { kind: 'signed-in', signedIn: await createOwner(deps, input) };
}

async function createOwner(deps: Deps, input: SetupRequest): Promise<SignedIn> {
  const passwordHash = await hashPassword(input.password);
  const now = deps.clock.now().toISOString();
  const userId = deps.ids();
  try {
    // Serializable on PostgreSQL: of two setups that both saw no user, one fails to commit.
    return await deps.db
      .transaction()
      .setIsolationLevel('serializable')
      .execute(async (trx) => {
        if (await hasAnyUser(trx)) throw new AppError('SETUP_ALREADY_DONE');
        let workspace =
          (await findFirstWorkspaceOf(trx, 'demo')) ?? (await findFirstWorkspaceOf(trx, 'setup'));
        if (!workspace) {
          workspace = { ...DEFAULT_WORKSPACE, credits: 0, created_at: now, updated_at: now };
          await insertWorkspace(trx, workspace);
        }
        // The tokens printed for this setup stop working with it.
        await deleteSetupTokens(trx);
        await insertUser(trx, {
          id: userId,
          email: input.email,
          name: input.name,
          password_hash: passwordHash,
          created_at: now,
        });
        await insertMembership(trx, {
          workspace_id: workspace.id,
          user_id: userId,
          role: 'owner',
          created_at: now,
        });
        const member = { userId, workspaceId: workspace.id };
        const grant = await startSession(deps, trx, member);
        return { ...member, role: 'owner' as const, grant };
      });
  } catch (error) {
    if (!(error instanceof AppError) && !(await isSetupNeeded(deps.db)))
      throw new AppError('SETUP_ALREADY_DONE');
    throw error;
  }
}
