import { describe, expect, it } from 'vitest';
import { toApiError } from './api-client.ts';

describe('toApiError', () => {
  it("keeps the envelope's sentence and code, which the visitor is shown", () => {
    const error = toApiError(
      { success: false, error: 'You have sent a lot of messages.', code: 'WIDGET_LIMIT_EXCEEDED' },
      429,
    );
    expect(error).toMatchObject({
      message: 'You have sent a lot of messages.',
      code: 'WIDGET_LIMIT_EXCEEDED',
      status: 429,
    });
  });

  it('shows a generic sentence for anything that is not an envelope, never the raw body', () => {
    for (const body of [null, '<html>502 Bad Gateway</html>', { message: 'stack trace' }, { error: '' }]) {
      expect(toApiError(body, 502).message).toBe('Something went wrong. Please try again.');
    }
  });
});
