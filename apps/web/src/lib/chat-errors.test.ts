import { describe, expect, it } from 'vitest';
import { explainChatError } from './chat-errors.ts';

describe('explainChatError', () => {
  it('explains 402 as out of credits with how to add them', () => {
    const explanation = explainChatError({ status: 402, code: 'INSUFFICIENT_CREDITS', message: 'x' });
    expect(explanation.kind).toBe('credits');
    expect(explanation.description).toContain('operator API');
  });

  it('explains 429 with the wait from retryAfter', () => {
    const explanation = explainChatError({
      status: 429,
      code: 'RATE_LIMIT_EXCEEDED',
      message: 'x',
      retryAfter: 42,
    });
    expect(explanation).toMatchObject({ kind: 'rate-limit', retryAfter: 42 });
    expect(explanation.description).toContain('42 s');
  });

  it('explains 403 inactive chatbots and tells CSRF failures apart', () => {
    expect(explainChatError({ status: 403, code: 'CHATBOT_INACTIVE', message: 'x' }).kind).toBe('inactive');
    expect(explainChatError({ status: 403, code: 'CSRF_TOKEN_INVALID', message: 'x' }).title).toContain(
      'session',
    );
  });

  it('explains provider failures, before and during a stream, as not charged', () => {
    for (const failure of [
      { status: 502, code: 'AI_PROVIDER_ERROR', message: 'x' },
      { status: 504, code: 'AI_PROVIDER_TIMEOUT', message: 'x' },
      { code: 'AI_PROVIDER_ERROR', message: 'x' },
    ]) {
      const explanation = explainChatError(failure);
      expect(explanation.kind).toBe('provider');
      expect(explanation.description).toContain('Nothing was charged');
    }
    expect(explainChatError({ code: 'AI_PROVIDER_TIMEOUT', message: 'x' }).title).toContain('timed out');
  });

  it("passes a validation error's own sentence through", () => {
    const explanation = explainChatError({
      status: 400,
      code: 'VALIDATION_ERROR',
      message: 'body.message: must not be empty',
    });
    expect(explanation.description).toBe('body.message: must not be empty');
  });

  it('falls back to the server sentence for anything else', () => {
    expect(
      explainChatError({ status: 500, code: 'INTERNAL_ERROR', message: 'Something broke' }).description,
    ).toBe('Something broke');
  });
});
