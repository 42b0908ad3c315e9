import { createHash } from 'node:crypto';
import { AppError } from '../../errors/app-error.ts';
import type { Clock } from '../../lib/clock.ts';
import type { RateLimit, RateLimiter } from '../rate-limits/rate-limiter.ts';

/**
 * Password guesses allowed per e-mail address, and per IP address: the first few failures within the window
 * are free; after them each further attempt waits, 1 second after the next failure, doubling with every
 * failure up to a cap. A typo-prone owner waits seconds, not a quarter of an hour; a guesser gets a handful
 * of guesses an hour.
 */
const SIGN_IN_THROTTLE = { freeFailures: 5, windowSeconds: 15 * 60, maxWaitSeconds: 15 * 60 };

/** Counts attempts in the window; the cap only bounds the counter. */
const ATTEMPTS: RateLimit = { requests: 100_000, windowSeconds: SIGN_IN_THROTTLE.windowSeconds };
/** Past the free failures, one attempt per second at most (parallel guesses included), and none while waiting. */
const PACE: RateLimit = { requests: 1, windowSeconds: 1 };

/** The keys an attempt was counted under, each with the attempts of its window so far (this one included). */
type CountedKey = { key: string; attempts: number };

export type SignInAttempt = { kind: 'allowed'; keys: CountedKey[] } | { kind: 'limited'; retryAfter: number };

type Deps = { limiter: RateLimiter; clock: Clock };

function unavailable(error: unknown): AppError {
  // Without the shared counter, attempts could not be limited: refuse rather than allow unlimited guessing.
  return new AppError('SERVICE_UNAVAILABLE', {
    message: 'Signing in is unavailable right now (the rate-limit store cannot be reached); retry shortly',
    cause: error,
  });
}

function secondsUntil(deps: Deps, dates: Date[]): number {
  const now = deps.clock.now().getTime();
  const waitMs = Math.max(...dates.map((date) => date.getTime() - now));
  return Math.max(1, Math.ceil(waitMs / 1000));
}

/**
 * Counts one password check (or setup token check, by IP alone) for the address and the IP address before it is made (so parallel guesses are
 * counted too). Answers `limited` while either must wait; a refused attempt is not counted.
 */
export async function beginSignInAttempt(
  deps: Deps,
  input: { email?: string; ip: string },
): Promise<SignInAttempt> {
  // The address is hashed so the rate-limit store never holds who tried to sign in.
  const emailKey = input.email && createHash('sha256').update(input.email).digest('hex');
  const keys = [...(emailKey ? [`login-email:${emailKey}`] : []), `login-ip:${input.ip}`];
  try {
    const counted = await Promise.all(
      keys.map(async (key) => {
        const decision = await deps.limiter.consume(key, ATTEMPTS);
        return {
          key,
          attempts: decision.allowed ? decision.limit - decision.remaining : Number.POSITIVE_INFINITY,
        };
      }),
    );
    const paced = counted.filter((entry) => entry.attempts > SIGN_IN_THROTTLE.freeFailures);
    const waits = await Promise.all(paced.map((entry) => deps.limiter.consume(`${entry.key}:pace`, PACE)));
    const refused = waits.filter((decision) => !decision.allowed);
    if (refused.length > 0) {
      await Promise.all(keys.map((key) => deps.limiter.refund(key, ATTEMPTS)));
      return {
        kind: 'limited',
        retryAfter: secondsUntil(
          deps,
          refused.map((decision) => decision.resetAt),
        ),
      };
    }
    return { kind: 'allowed', keys: counted };
  } catch (error) {
    throw unavailable(error);
  }
}

/** A right password: the attempt is given back, so only failures use up the allowance. */
export async function endSignInAttemptSucceeded(deps: Deps, attempt: { keys: CountedKey[] }): Promise<void> {
  await Promise.all(attempt.keys.map((entry) => deps.limiter.refund(entry.key, ATTEMPTS)));
}

/** A wrong password: past the free failures, the next attempt waits, twice as long as after the last one. */
export async function endSignInAttemptFailed(deps: Deps, attempt: { keys: CountedKey[] }): Promise<void> {
  const waiting = attempt.keys.filter((entry) => entry.attempts >= SIGN_IN_THROTTLE.freeFailures);
  await Promise.all(
    waiting.map((entry) => {
      const beyond = Math.min(entry.attempts - SIGN_IN_THROTTLE.freeFailures, 30);
      const waitSeconds = Math.min(2 ** beyond, SIGN_IN_THROTTLE.maxWaitSeconds);
      return deps.limiter.block(`${entry.key}:pace`, PACE, waitSeconds);
    }),
  ).catch((error: unknown) => {
    throw unavailable(error);
  });
}
