import { describe, expect, it } from 'vitest';
import { describeFeedback } from './message-feedback.ts';

describe('describeFeedback', () => {
  it('marks a reply rated up as helpful and one rated down as not helpful', () => {
    expect(describeFeedback({ role: 'assistant', feedback: 'up' })).toMatchObject({
      label: 'Helpful',
      tone: 'success',
    });
    expect(describeFeedback({ role: 'assistant', feedback: 'down' })).toMatchObject({
      label: 'Not helpful',
      tone: 'warning',
    });
  });

  it('marks nothing on an unrated reply or a user message', () => {
    expect(describeFeedback({ role: 'assistant', feedback: null })).toBeUndefined();
    expect(describeFeedback({ role: 'user', feedback: 'up' })).toBeUndefined();
  });
});
