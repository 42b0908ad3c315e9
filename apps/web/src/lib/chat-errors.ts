import { formatDuration } from './format.ts';

/** A failure of a chat request, from its JSON answer or from a stream's `error` event. */
export interface ChatFailure {
  status?: number;
  code: string;
  message: string;
  retryAfter?: number;
}

type ChatErrorKind = 'credits' | 'rate-limit' | 'inactive' | 'provider' | 'validation' | 'other';

/** A failure explained for people: what happened and what to do about it. */
export interface ChatErrorExplanation {
  kind: ChatErrorKind;
  title: string;
  description: string;
  /** Seconds until the chatbot accepts messages again (rate limits only). */
  retryAfter?: number;
}

/** Explains a chat failure in plain words, from the contract's status and code. */
export function explainChatError(failure: ChatFailure): ChatErrorExplanation {
  const { code, status } = failure;
  if (code === 'INSUFFICIENT_CREDITS' || status === 402) {
    return {
      kind: 'credits',
      title: 'Out of credits',
      description:
        'Your workspace does not have enough credits for another reply. Credits are added by the ' +
        'operator of this PollyBot server with the operator API (see "How to add credits" below); ' +
        'replies that fail never cost anything.',
    };
  }
  if (code === 'RATE_LIMIT_EXCEEDED' || status === 429) {
    const seconds = failure.retryAfter;
    return {
      kind: 'rate-limit',
      title: 'Rate limit reached',
      description:
        seconds !== undefined
          ? `This chatbot has used up its requests for the current window. Try again in ${formatDuration(seconds)}, or raise its rate limit in the chatbot's settings.`
          : "This chatbot has used up its requests for the current window. Wait a moment, or raise its rate limit in the chatbot's settings.",
      retryAfter: seconds,
    };
  }
  if (code === 'CSRF_TOKEN_INVALID' || code === 'NOT_AUTHENTICATED') {
    return {
      kind: 'other',
      title: 'Your session needs a refresh',
      description: 'Your sign-in expired or the page lost its security token. Reload the page and try again.',
    };
  }
  if (code === 'CHATBOT_INACTIVE' || status === 403) {
    return {
      kind: 'inactive',
      title: 'This chatbot is inactive',
      description:
        'Inactive chatbots refuse every message. Set its status to Active in the chatbot settings to use it.',
    };
  }
  if (code === 'AI_PROVIDER_TIMEOUT' || status === 504) {
    return {
      kind: 'provider',
      title: 'The AI provider timed out',
      description:
        "The model's provider sent nothing for too long. It may be overloaded or unreachable from the server. " +
        'Nothing was charged; try again, or choose another model.',
    };
  }
  if (code === 'AI_PROVIDER_ERROR' || status === 502) {
    return {
      kind: 'provider',
      title: 'The AI provider failed',
      description:
        "The model's provider returned an error (a wrong API key or model name, an outage, or a broken stream). " +
        'Nothing was charged. Check the provider settings on the server, then try again.',
    };
  }
  if (code === 'STREAM_INTERRUPTED') {
    return {
      kind: 'provider',
      title: 'The reply was cut off',
      description:
        'The connection closed before the reply finished. What arrived is shown above; send the message again to retry.',
    };
  }
  if (code === 'SERVICE_UNAVAILABLE' || status === 503) {
    return {
      kind: 'other',
      title: 'The server is busy',
      description: 'PollyBot is restarting or cannot reach its rate-limit store. Try again in a few seconds.',
    };
  }
  if (code === 'VALIDATION_ERROR' || code === 'PAYLOAD_TOO_LARGE' || status === 400 || status === 413) {
    return { kind: 'validation', title: 'The message was not accepted', description: failure.message };
  }
  if (code === 'CONVERSATION_NOT_FOUND') {
    return {
      kind: 'other',
      title: 'Conversation not found',
      description: 'This conversation was deleted. Start a new conversation to keep chatting.',
    };
  }
  if (code === 'NETWORK_ERROR' || status === 0) {
    return {
      kind: 'other',
      title: 'The server could not be reached',
      description: 'Check your connection and that PollyBot is running, then try again.',
    };
  }
  return { kind: 'other', title: 'Something went wrong', description: failure.message };
}
