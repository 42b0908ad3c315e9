import type { FastifyReply } from 'fastify';
import { consumeRateLimit } from '../features/rate-limits/consume-rate-limit.ts';
import type { RateLimit, RateLimitDecision, RateLimiter } from '../features/rate-limits/rate-limiter.ts';
import type { Clock } from '../lib/clock.ts';

/** The X-RateLimit-* headers of one counted request. */
export function setRateLimitHeaders(reply: FastifyReply, decision: RateLimitDecision): void {
  reply.header('x-ratelimit-limit', decision.limit);
  reply.header('x-ratelimit-remaining', decision.remaining);
  reply.header('x-ratelimit-reset', Math.ceil(decision.resetAt.getTime() / 1000));
}

/**
 * Counts one request against `key`'s limit (`consumeRateLimit`) and sets the X-RateLimit-* headers; past the
 * limit, throws its 429 (the error handler also sends `retryAfter` as Retry-After).
 */
export async function enforceRateLimit(
  deps: { limiter: RateLimiter; clock: Clock },
  reply: FastifyReply,
  key: string,
  limit: RateLimit,
  describeRefusal?: (refusal: { limit: number; retryAfter: number }) => string,
): Promise<void> {
  const { decision, refusal } = await consumeRateLimit(deps, key, limit, describeRefusal);
  setRateLimitHeaders(reply, decision);
  if (refusal) throw refusal;
}
