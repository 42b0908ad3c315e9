import type { WidgetSettings } from '@pollybot/contracts';
import { AppError } from '../../errors/app-error.ts';
import type { Clock } from '../../lib/clock.ts';
import { consumeRateLimit } from '../rate-limits/consume-rate-limit.ts';
import type { RateLimit, RateLimiter } from '../rate-limits/rate-limiter.ts';

type LimitDeps = { limiter: Pick<RateLimiter, 'consume'>; clock: Clock };

/** New visitors one IP address may start per chatbot per hour: dropping the visitor token buys little. */
const NEW_VISITORS_PER_IP: RateLimit = { requests: 20, windowSeconds: 3_600 };

async function consumeOrRefuse(
  deps: LimitDeps,
  key: string,
  limit: RateLimit,
  limitMessage: string,
): Promise<void> {
  const { refusal } = await consumeRateLimit(deps, key, limit);
  if (!refusal) return;
  throw new AppError('WIDGET_LIMIT_EXCEEDED', {
    message: limitMessage,
    extra: { retryAfter: refusal.extra.retryAfter },
  });
}

/**
 * Counts one widget message against the visitor's, the IP address's and the chatbot's daily limits, in that
 * order (a refusal stops the count there). Throws WIDGET_LIMIT_EXCEEDED with the business's limit message.
 */
export async function enforceWidgetLimits(
  deps: LimitDeps,
  scope: { chatbotId: string; visitorId: string; ip: string },
  settings: Pick<WidgetSettings, 'limits' | 'limitMessage'>,
): Promise<void> {
  const { limits, limitMessage } = settings;
  await consumeOrRefuse(deps, `widget:visitor:${scope.visitorId}`, limits.perVisitor, limitMessage);
  await consumeOrRefuse(deps, `widget:ip:${scope.chatbotId}:${scope.ip}`, limits.perIp, limitMessage);
  const day = deps.clock.now().toISOString().slice(0, 10);
  await consumeOrRefuse(
    deps,
    `widget:day:${scope.chatbotId}:${day}`,
    { requests: limits.perDay, windowSeconds: 86_400 },
    limitMessage,
  );
}

/** Counts a new visitor from an IP address (NEW_VISITORS_PER_IP); throws WIDGET_LIMIT_EXCEEDED past it. */
export function countNewVisitor(
  deps: LimitDeps,
  scope: { chatbotId: string; ip: string },
  limitMessage: string,
): Promise<void> {
  return consumeOrRefuse(
    deps,
    `widget:new-visitor:${scope.chatbotId}:${scope.ip}`,
    NEW_VISITORS_PER_IP,
    limitMessage,
  );
}
