import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';

export type RateLimit = { requests: number; windowSeconds: number };

/** The outcome of counting one request: a value, never an exception. */
export type RateLimitDecision = {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** When the current window ends. */
  resetAt: Date;
};

export type RateLimiter = {
  consume: (key: string, limit: RateLimit) => Promise<RateLimitDecision>;
  /** Gives back one request counted in the current window (a sign-in that succeeded is not a failed attempt). */
  refund: (key: string, limit: RateLimit) => Promise<void>;
  /** Refuses every request of the key for `seconds`, whatever its window (a growing wait after failed sign-ins). */
  block: (key: string, limit: RateLimit, seconds: number) => Promise<void>;
};

type FlexibleLimiter = {
  consume: (key: string, points?: number) => Promise<RateLimiterRes>;
  reward: (key: string, points?: number) => Promise<unknown>;
  block: (key: string, seconds: number) => Promise<unknown>;
};

/**
 * Wraps rate-limiter-flexible: a fixed window per key, counted atomically by the store.
 * One limiter per distinct (requests, window) pair, since a chatbot's limit is its own setting.
 */
function createRateLimiter(
  createStoreLimiter: (limit: RateLimit) => FlexibleLimiter,
  now: () => number = Date.now,
): RateLimiter {
  const limiters = new Map<string, FlexibleLimiter>();
  const limiterFor = (limit: RateLimit): FlexibleLimiter => {
    const id = `${limit.requests}/${limit.windowSeconds}`;
    let limiter = limiters.get(id);
    if (!limiter) {
      limiter = createStoreLimiter(limit);
      limiters.set(id, limiter);
    }
    return limiter;
  };
  return {
    async consume(key, limit) {
      const toDecision = (result: RateLimiterRes, allowed: boolean): RateLimitDecision => ({
        allowed,
        limit: limit.requests,
        remaining: Math.max(0, result.remainingPoints),
        resetAt: new Date(now() + Math.max(0, result.msBeforeNext)),
      });
      try {
        return toDecision(await limiterFor(limit).consume(key), true);
      } catch (rejection) {
        if (rejection instanceof RateLimiterRes) return toDecision(rejection, false);
        throw rejection;
      }
    },
    async refund(key, limit) {
      await limiterFor(limit).reward(key, 1);
    },
    async block(key, limit, seconds) {
      await limiterFor(limit).block(key, seconds);
    },
  };
}

/** The single-instance limiter: exact because one process counts every request in memory. */
export function createMemoryRateLimiter(): RateLimiter {
  return createRateLimiter(
    (limit) =>
      new RateLimiterMemory({
        keyPrefix: `ratelimit:${limit.requests}:${limit.windowSeconds}`,
        points: limit.requests,
        duration: limit.windowSeconds,
      }),
  );
}

/**
 * The limiter shared by every instance: one Lua script increments and expires each window in Redis,
 * atomically. While Redis is unreachable it fails at once (never a guess about the limit).
 */
export function createRedisRateLimiter(client: Redis, keyPrefix: string): RateLimiter {
  return createRateLimiter(
    (limit) =>
      new RateLimiterRedis({
        storeClient: client,
        keyPrefix: `${keyPrefix}ratelimit:${limit.requests}:${limit.windowSeconds}`,
        points: limit.requests,
        duration: limit.windowSeconds,
        rejectIfRedisNotReady: true,
      }),
  );
}
