import { AppError } from '../../errors/app-error.ts';
import type { Clock } from '../../lib/clock.ts';
import type { RateLimit, RateLimitDecision, RateLimiter } from './rate-limiter.ts';

/** One request counted against a key's limit: the figures a door sends as headers, and the refusal past it. */
type RateLimitCount = { decision: RateLimitDecision; refusal: AppError | undefined };

/**
 * Counts one request against `key`'s limit in the shared limiter. Past the limit, the refusal is 429
 * RATE_LIMIT_EXCEEDED with `retryAfter` and `describeRefusal`'s sentence, else the catalog's. Throws
 * SERVICE_UNAVAILABLE when the limiter's store cannot be reached: no instance could tell then whether the
 * request is within the limit.
 */
export async function consumeRateLimit(
  deps: { limiter: Pick<RateLimiter, 'consume'>; clock: Clock },
  key: string,
  limit: RateLimit,
  describeRefusal?: (refusal: { limit: number; retryAfter: number }) => string,
): Promise<RateLimitCount> {
  const decision = await deps.limiter.consume(key, limit).catch((error: unknown) => {
    throw new AppError('SERVICE_UNAVAILABLE', {
      message: 'Rate limiting is unavailable right now (its shared store cannot be reached); retry shortly',
      cause: error,
    });
  });
  if (decision.allowed) return { decision, refusal: undefined };
  const retryAfter = Math.max(1, Math.ceil((decision.resetAt.getTime() - deps.clock.now().getTime()) / 1000));
  const refusal = new AppError('RATE_LIMIT_EXCEEDED', {
    ...(describeRefusal && { message: describeRefusal({ limit: decision.limit, retryAfter }) }),
    extra: { retryAfter },
  });
  return { decision, refusal };
}
