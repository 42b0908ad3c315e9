import { describe, expect, it } from 'vitest';
import { AppError } from '../../errors/app-error.ts';
import { toVisitorError } from './visitor-errors.ts';

const settings = { limitMessage: 'Please wait a little.', offlineMessage: 'We are offline.' };

describe('toVisitorError', () => {
  it('says the limit message for limits and credits, keeping the code and retryAfter but not the price', () => {
    const credits = toVisitorError(
      new AppError('INSUFFICIENT_CREDITS', { extra: { required: 3 } }),
      settings,
    );
    const limit = toVisitorError(
      new AppError('WIDGET_LIMIT_EXCEEDED', { extra: { retryAfter: 12 } }),
      settings,
    );

    expect(credits.toEnvelope()).toEqual({
      success: false,
      error: 'Please wait a little.',
      code: 'INSUFFICIENT_CREDITS',
    });
    expect(limit.toEnvelope()).toEqual({
      success: false,
      error: 'Please wait a little.',
      code: 'WIDGET_LIMIT_EXCEEDED',
      retryAfter: 12,
    });
  });

  it('says the offline message for a provider failure, keeping the visitor’s own conversation and message ids', () => {
    const failure = new AppError('AI_PROVIDER_ERROR', {
      message: 'upstream said: shard 7 melted',
      extra: { conversationId: 'c1', messageId: 'm1', provider: 'openai' },
    });

    expect(toVisitorError(failure, settings).toEnvelope()).toEqual({
      success: false,
      error: 'We are offline.',
      code: 'AI_PROVIDER_ERROR',
      conversationId: 'c1',
      messageId: 'm1',
    });
  });

  it('leaves the visitor’s own mistakes as they are', () => {
    const notFound = new AppError('CONVERSATION_NOT_FOUND');

    expect(toVisitorError(notFound, settings)).toBe(notFound);
  });
});
