import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import { findFirstMembership } from '../../db/memberships.repository.ts';
import { findUserByEmail } from '../../db/users.repository.ts';
import type { Clock } from '../../lib/clock.ts';
import type { IdGenerator } from '../../lib/ids.ts';
import type { RateLimiter } from '../rate-limits/rate-limiter.ts';
import { decoyPasswordHash, verifyPassword } from './password-hash.ts';
import { type SignedIn, startSession } from './sessions.ts';
import { beginSignInAttempt, endSignInAttemptFailed, endSignInAttemptSucceeded } from './sign-in-throttle.ts';

export type LogInResult =
  | { kind: 'signed-in'; signedIn: SignedIn }
  | { kind: 'invalid' }
  | { kind: 'limited'; retryAfter: number };

type Deps = { db: Kysely<Database>; clock: Clock; ids: IdGenerator; limiter: RateLimiter };

/**
 * Checks an e-mail address and password and starts a session in the user's first workspace. Every attempt is
 * counted per address and per IP (sign-in-throttle.ts); a successful one is given back, so only failures count.
 * An unknown address costs the same scrypt work as a wrong password.
 */
export async function logIn(
  deps: Deps,
  input: { email: string; password: string; ip: string },
): Promise<LogInResult> {
  const attempt = await beginSignInAttempt(deps, input);
  if (attempt.kind === 'limited') return attempt;
  const user = await findUserByEmail(deps.db, input.email);
  const isValid = await verifyPassword(input.password, user?.password_hash ?? (await decoyPasswordHash()));
  const membership = user && isValid ? await findFirstMembership(deps.db, user.id) : undefined;
  if (!user || !membership) {
    await endSignInAttemptFailed(deps, attempt);
    return { kind: 'invalid' };
  }
  await endSignInAttemptSucceeded(deps, attempt);
  const member = { userId: user.id, workspaceId: membership.workspace_id };
  const grant = await startSession(deps, deps.db, member);
  return { kind: 'signed-in', signedIn: { ...member, role: membership.role, grant } };
}
