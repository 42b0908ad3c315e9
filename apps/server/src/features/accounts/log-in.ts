import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import { findFirstMembership } from '../../db/memberships.repository.ts';
import { findUserByEmail } from '../../db/users.repository.ts';
import { AppError } from '../../errors/app-error.ts';
import type { Clock } from '../../lib/clock.ts';
import type { IdGenerator } from '../../lib/ids.ts';
import type { RateLimiter } from '../rate-limits/rate-limiter.ts';
import { decoyPasswordHash, verifyPassword } from './password-hash.ts';
import { type SignedIn, startSession } from './sessions.ts';

/** Failed sign-ins allowed per e-mail address, and per IP address, in one window. */
export const LOGIN_ATTEMPTS = { requests: 5, windowSeconds: 15 * 60 };

export type LogInResult =
  | { kind: 'signed-in'; signedIn: SignedIn }
  | { kind: 'invalid' }
  | { kind: 'limited'; retryAfter: number };

type Deps = { db: Kysely<Database>; clock: Clock; ids: IdGenerator; limiter: RateLimiter };

/**
 * Checks an e-mail address and password and starts a session in the user's first workspace. Every attempt is
 * counted per address and per IP; a successful one is given back, so only failures use up the allowance.
 * An unknown address costs the same scrypt work as a wrong password.
 */
export async function logIn(
  deps: Deps,
  input: { email: string; password: string; ip: string },
): Promise<LogInResult> {
  // The address is hashed so the rate-limit store never holds who tried to sign in.
  const emailKey = createHash('sha256').update(input.email).digest('hex');
  const keys = [`login-email:${emailKey}`, `login-ip:${input.ip}`];
  const decisions = await Promise.all(keys.map((key) => deps.limiter.consume(key, LOGIN_ATTEMPTS))).catch(
    (error: unknown) => {
      // Without the shared counter, attempts could not be limited: refuse rather than allow unlimited guessing.
      throw new AppError('SERVICE_UNAVAILABLE', {
        message:
          'Signing in is unavailable right now (the rate-limit store cannot be reached); retry shortly',
        cause: error,
      });
    },
  );
  const refused = decisions.filter((decision) => !decision.allowed);
  if (refused.length > 0) {
    const now = deps.clock.now().getTime();
    const waitMs = Math.max(...refused.map((decision) => decision.resetAt.getTime() - now));
    return { kind: 'limited', retryAfter: Math.max(1, Math.ceil(waitMs / 1000)) };
  }

  const user = await findUserByEmail(deps.db, input.email);
  const isValid = await verifyPassword(input.password, user?.password_hash ?? (await decoyPasswordHash()));
  const membership = user && isValid ? await findFirstMembership(deps.db, user.id) : undefined;
  if (!user || !membership) return { kind: 'invalid' };

  await Promise.all(keys.map((key) => deps.limiter.refund(key, LOGIN_ATTEMPTS)));
  const member = { userId: user.id, workspaceId: membership.workspace_id };
  const grant = await startSession(deps, deps.db, member);
  return { kind: 'signed-in', signedIn: { ...member, role: membership.role, grant } };
}
