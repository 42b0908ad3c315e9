import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import { deleteSessionsOfUser } from '../../db/sessions.repository.ts';
import { findUser, findUserByEmail, updateUserPasswordHash } from '../../db/users.repository.ts';
import type { Clock } from '../../lib/clock.ts';
import type { RateLimiter } from '../rate-limits/rate-limiter.ts';
import { hashPassword, verifyPassword } from './password-hash.ts';
import { hashSecretToken } from './secret-token.ts';
import { beginSignInAttempt, endSignInAttemptFailed, endSignInAttemptSucceeded } from './sign-in-throttle.ts';

export type PasswordChangeResult =
  | { kind: 'changed'; endedSessions: number }
  | { kind: 'wrong-password' }
  | { kind: 'limited'; retryAfter: number };

type Deps = { db: Kysely<Database>; clock: Clock; limiter: RateLimiter };

/**
 * A signed-in person changes their password. The current password is checked like a sign-in (the same
 * throttle, per address and IP), so a session left open does not let anyone guess it; every other session of
 * the person, in every workspace, ends, and the one making the change stays signed in.
 */
export async function changePassword(
  deps: Deps,
  input: { userId: string; sessionToken: string; currentPassword: string; newPassword: string; ip: string },
): Promise<PasswordChangeResult> {
  const user = await findUser(deps.db, input.userId);
  if (!user) return { kind: 'wrong-password' };
  const attempt = await beginSignInAttempt(deps, { email: user.email, ip: input.ip });
  if (attempt.kind === 'limited') return attempt;
  if (!(await verifyPassword(input.currentPassword, user.password_hash))) {
    await endSignInAttemptFailed(deps, attempt);
    return { kind: 'wrong-password' };
  }
  await endSignInAttemptSucceeded(deps, attempt);
  const passwordHash = await hashPassword(input.newPassword);
  const endedSessions = await deps.db.transaction().execute(async (trx) => {
    await updateUserPasswordHash(trx, user.id, passwordHash);
    return deleteSessionsOfUser(trx, user.id, hashSecretToken(input.sessionToken));
  });
  return { kind: 'changed', endedSessions };
}

/**
 * The operator sets a person's password (there is no mail server for a reset link): every session of the
 * person ends. Undefined when no account has the address.
 */
export async function resetPassword(
  deps: Pick<Deps, 'db'>,
  input: { email: string; password: string },
): Promise<{ endedSessions: number } | undefined> {
  const user = await findUserByEmail(deps.db, input.email);
  if (!user) return undefined;
  const passwordHash = await hashPassword(input.password);
  const endedSessions = await deps.db.transaction().execute(async (trx) => {
    await updateUserPasswordHash(trx, user.id, passwordHash);
    return deleteSessionsOfUser(trx, user.id);
  });
  return { endedSessions };
}
