import type { WidgetSettings } from '@pollybot/contracts';
import { AppError } from '../../errors/app-error.ts';
import type { ErrorCode } from '../../errors/catalog.ts';

/** Refusals a visitor reads as the business's limit message: a limit, or the workspace's credits. */
const LIMIT_CODES = new Set<ErrorCode>([
  'WIDGET_LIMIT_EXCEEDED',
  'RATE_LIMIT_EXCEEDED',
  'INSUFFICIENT_CREDITS',
]);
/** Failures a visitor reads as the business's offline message: the chatbot cannot answer now. */
const OFFLINE_CODES = new Set<ErrorCode>(['AI_PROVIDER_ERROR', 'AI_PROVIDER_TIMEOUT', 'CHATBOT_INACTIVE']);
/** The extra fields a visitor may read: when to retry, and their own conversation and message. */
const VISITOR_EXTRA = ['retryAfter', 'conversationId', 'messageId'];

/**
 * An error as a visitor sees it: the code stays the real one, but a limit or credits refusal says the
 * business's `limitMessage` and a provider failure or inactive chatbot its `offlineMessage`; nothing else of
 * the workspace (a price, a balance, a provider's text) goes along. Other errors (a validation, a 404) are
 * the visitor's own doing and keep their message.
 */
export function toVisitorError(
  error: AppError,
  settings: Pick<WidgetSettings, 'limitMessage' | 'offlineMessage'>,
): AppError {
  const message = LIMIT_CODES.has(error.code)
    ? settings.limitMessage
    : OFFLINE_CODES.has(error.code)
      ? settings.offlineMessage
      : undefined;
  if (message === undefined) return error;
  const extra = Object.fromEntries(
    Object.entries(error.extra).filter(([name]) => VISITOR_EXTRA.includes(name)),
  );
  return new AppError(error.code, { message, extra });
}
