import type { FastifyReply } from 'fastify';
import { AppError } from '../errors/app-error.ts';
import type { RateLimit, RateLimiter } from '../features/rate-limits/rate-limiter.ts';
import type { Clock } from '../lib/clock.ts';

/**
 * Counts one request against `key`'s limit in the shared limiter and sets the X-RateLimit-* headers; past the
 * limit, 429 RATE_LIMIT_EXCEEDED with `retryAfter` (which the error handler also sends as Retry-After) and
 * `describeRefusal`'s sentence, else the catalog's.
 * SERVICE_UNAVAILABLE when the limiter's store cannot be reached: no instance could tell then whether the
 * request is within the limit.
 */
export async function enforceRateLimit(
  deps: { limiter: RateLimiter; clock: Clock },
  reply: FastifyReply,
  key: string,
  limit: RateLimit,
  describeRefusal?: (refusal: { limit: number; retryAfter: number }) => string,
): Promise<void> {
  const decision = await deps.limiter.consume(key, limit).catch((error: unknown) => {
    throw new AppError('SERVICE_UNAVAILABLE', {
      message: 'Rate limiting is unavailable right now (its shared store cannot be reached); retry shortly',
      cause: error,
    });
  });
  reply.header('x-ratelimit-limit', decision.limit);
  reply.header('x-ratelimit-remaining', decision.remaining);
  reply.header('x-ratelimit-reset', Math.ceil(decision.resetAt.getTime() / 1000));
  if (decision.allowed) return;
  const retryAfter = Math.max(1, Math.ceil((decision.resetAt.getTime() - deps.clock.now().getTime()) / 1000));
  throw new AppError('RATE_LIMIT_EXCEEDED', {
    ...(describeRefusal && { message: describeRefusal({ limit: decision.limit, retryAfter }) }),
    extra: { retryAfter },
  });
}
