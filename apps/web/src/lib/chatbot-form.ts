import type { Chatbot, ChatbotCreate, ChatbotUpdate } from '../api/types.ts';
import type { ChatbotFormValues } from './validation.ts';

/** A new chatbot's form, with the server's documented defaults. */
export function defaultChatbotValues(model: string): ChatbotFormValues {
  return {
    name: '',
    instructions: 'You are a helpful assistant.',
    model,
    temperature: 0.7,
    maxTokens: '1024',
    streaming: false,
    rateLimitRequests: '60',
    rateLimitWindowSeconds: '60',
    fallbackMessage: '',
    status: 'active',
  };
}

/** A chatbot as form values. */
export function chatbotToValues(chatbot: Chatbot): ChatbotFormValues {
  return {
    name: chatbot.name,
    instructions: chatbot.instructions,
    model: chatbot.model,
    temperature: chatbot.temperature,
    maxTokens: String(chatbot.maxTokens),
    streaming: chatbot.streaming,
    rateLimitRequests: String(chatbot.rateLimit.requests),
    rateLimitWindowSeconds: String(chatbot.rateLimit.windowSeconds),
    fallbackMessage: chatbot.fallbackMessage ?? '',
    status: chatbot.status,
  };
}

/** The body of POST /api/v1/chatbots for valid form values. */
export function valuesToCreate(values: ChatbotFormValues): ChatbotCreate {
  return {
    name: values.name.trim(),
    instructions: values.instructions,
    model: values.model,
    temperature: values.temperature,
    maxTokens: Number(values.maxTokens),
    streaming: values.streaming,
    rateLimit: {
      requests: Number(values.rateLimitRequests),
      windowSeconds: Number(values.rateLimitWindowSeconds),
    },
    // An empty box is the built-in wording, which the API spells null.
    fallbackMessage: values.fallbackMessage.trim() || null,
    status: values.status,
  };
}

/**
 * The body of PATCH /api/v1/chatbots/{id}: only what changed, so that saving an unrelated field
 * does not restart the rate-limit window (a changed limit starts a new count).
 */
export function valuesToUpdate(initial: ChatbotFormValues, values: ChatbotFormValues): ChatbotUpdate {
  const next = valuesToCreate(values);
  const before = valuesToCreate(initial);
  const update: ChatbotUpdate = {};
  if (next.name !== before.name) update.name = next.name;
  if (next.instructions !== before.instructions) update.instructions = next.instructions;
  if (next.model !== before.model) update.model = next.model;
  if (next.temperature !== before.temperature) update.temperature = next.temperature;
  if (next.maxTokens !== before.maxTokens) update.maxTokens = next.maxTokens;
  if (next.streaming !== before.streaming) update.streaming = next.streaming;
  if (next.status !== before.status) update.status = next.status;
  if (next.fallbackMessage !== before.fallbackMessage) update.fallbackMessage = next.fallbackMessage;
  if (
    next.rateLimit?.requests !== before.rateLimit?.requests ||
    next.rateLimit?.windowSeconds !== before.rateLimit?.windowSeconds
  ) {
    update.rateLimit = next.rateLimit;
  }
  return update;
}

/** How a temperature reads to people. */
export function describeTemperature(temperature: number): string {
  if (temperature <= 0.3) return 'Precise: focused, repeatable answers';
  if (temperature <= 1) return 'Balanced: natural, a little varied';
  return 'Creative: varied and surprising, less predictable';
}
