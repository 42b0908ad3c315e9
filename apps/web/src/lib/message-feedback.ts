// How the transcript shows a widget visitor's thumbs on a reply.

/** The mark of a rated reply; undefined for an unrated one (and for user messages, which cannot be rated). */
export function describeFeedback(message: {
  role: 'user' | 'assistant';
  feedback: 'up' | 'down' | null;
}): { label: string; tone: 'success' | 'warning'; hint: string } | undefined {
  if (message.role !== 'assistant' || message.feedback === null) return undefined;
  return message.feedback === 'up'
    ? { label: 'Helpful', tone: 'success', hint: 'The visitor rated this reply helpful (thumbs up)' }
    : {
        label: 'Not helpful',
        tone: 'warning',
        hint: 'The visitor rated this reply not helpful (thumbs down)',
      };
}
