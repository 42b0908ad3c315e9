import { ApiError } from '../api/client.ts';

// Inline form validation, mirroring the contract's rules so mistakes show before a round trip.

export type FieldErrors<Field extends string> = Partial<Record<Field, string>>;

export interface ChatbotFormValues {
  name: string;
  instructions: string;
  model: string;
  temperature: number;
  maxTokens: string;
  streaming: boolean;
  rateLimitRequests: string;
  rateLimitWindowSeconds: string;
  /** Empty for the built-in wording. */
  fallbackMessage: string;
  status: 'active' | 'inactive';
}

export type ChatbotField = keyof ChatbotFormValues;

const MODEL_PATTERN = /^(openai|anthropic|ollama|local)\/\S+$/;

/** A whole number within [min, max], or an error sentence. */
function checkInteger(text: string, min: number, max: number, label: string): string | undefined {
  if (text.trim() === '') return `${label} is required.`;
  const value = Number(text);
  if (!Number.isInteger(value)) return `${label} must be a whole number.`;
  if (value < min || value > max)
    return `${label} must be between ${min.toLocaleString('en-US')} and ${max.toLocaleString('en-US')}.`;
  return undefined;
}

/** Errors of a chatbot form, by field; empty when it can be saved. */
export function validateChatbotForm(values: ChatbotFormValues): FieldErrors<ChatbotField> {
  const errors: FieldErrors<ChatbotField> = {};
  const name = values.name.trim();
  if (!name) errors.name = 'Give the chatbot a name.';
  else if (name.length > 200) errors.name = 'Keep the name under 200 characters.';
  if (values.instructions.length > 32_000)
    errors.instructions = 'Instructions are limited to 32,000 characters.';
  if (!values.model) errors.model = 'Choose a model.';
  else if (!MODEL_PATTERN.test(values.model))
    errors.model = 'A model is written <provider>/<model name>, e.g. openai/gpt-4o-mini.';
  if (!(values.temperature >= 0 && values.temperature <= 2))
    errors.temperature = 'Temperature is between 0 and 2.';
  const maxTokens = checkInteger(values.maxTokens, 1, 200_000, 'Max tokens');
  if (maxTokens) errors.maxTokens = maxTokens;
  const requests = checkInteger(values.rateLimitRequests, 1, 1_000_000, 'Requests');
  if (requests) errors.rateLimitRequests = requests;
  const window = checkInteger(values.rateLimitWindowSeconds, 1, 86_400, 'The window');
  if (window) errors.rateLimitWindowSeconds = window;
  if (values.fallbackMessage.trim().length > 2_000)
    errors.fallbackMessage = 'Keep the fallback message under 2,000 characters.';
  return errors;
}

/** Maps the server's validation paths (`rateLimit.requests`) to the form's fields. */
export function chatbotFieldOf(path: string): ChatbotField | undefined {
  const fields: Record<string, ChatbotField> = {
    name: 'name',
    instructions: 'instructions',
    model: 'model',
    temperature: 'temperature',
    maxTokens: 'maxTokens',
    streaming: 'streaming',
    status: 'status',
    'rateLimit.requests': 'rateLimitRequests',
    'rateLimit.windowSeconds': 'rateLimitWindowSeconds',
    rateLimit: 'rateLimitRequests',
    fallbackMessage: 'fallbackMessage',
  };
  return fields[path];
}

/** A failed save as a form shows it. */
export interface FormFailure<Field extends string> {
  /** The server's sentences for the form's own fields (the details of a 400 VALIDATION_ERROR). */
  fieldErrors: FieldErrors<Field>;
  /** The sentence above the form: the envelope's `error`; undefined when the field errors say it all. */
  message: string | undefined;
  /** Whether the server refused what was sent (400 VALIDATION_ERROR), rather than failing to do it. */
  isValidation: boolean;
}

/** Reads a failed request for a form: field errors on the fields `fieldOf` knows, the rest as one sentence. */
export function readFormFailure<Field extends string>(
  error: unknown,
  fieldOf: (path: string) => Field | undefined,
): FormFailure<Field> {
  if (!(error instanceof ApiError)) {
    return {
      fieldErrors: {},
      message: error instanceof Error ? error.message : 'The request failed.',
      isValidation: false,
    };
  }
  if (error.code !== 'VALIDATION_ERROR')
    return { fieldErrors: {}, message: error.message, isValidation: false };
  const fieldErrors: FieldErrors<Field> = {};
  let isEveryErrorOnAField = true;
  for (const [path, message] of Object.entries(error.fieldErrors)) {
    const field = fieldOf(path);
    if (field) fieldErrors[field] ??= message;
    else isEveryErrorOnAField = false;
  }
  const hasFieldErrors = Object.keys(fieldErrors).length > 0;
  return {
    fieldErrors,
    message: hasFieldErrors && isEveryErrorOnAField ? undefined : error.message,
    isValidation: true,
  };
}

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** An error sentence for an e-mail address, or undefined. */
export function checkEmail(email: string): string | undefined {
  if (!email.trim()) return 'Enter an email address.';
  if (!EMAIL_PATTERN.test(email.trim())) return 'That does not look like an email address.';
  return undefined;
}

/** Passwords: at least 10 characters (the server's rule). */
export function checkPassword(password: string): string | undefined {
  if (!password) return 'Choose a password.';
  if (password.length < 10) return 'Use at least 10 characters.';
  return undefined;
}

/** A new password and its confirmation: an error on the password, else on a confirmation that differs. */
export function checkNewPassword(password: string, confirm: string): FieldErrors<'password' | 'confirm'> {
  const passwordError = checkPassword(password);
  if (passwordError) return { password: passwordError };
  if (confirm !== password) return { confirm: 'The passwords do not match.' };
  return {};
}

/** A metadata text box: empty, or a JSON object. */
export function parseMetadata(
  text: string,
): { ok: true; value: Record<string, unknown> | undefined } | { ok: false; error: string } {
  if (!text.trim()) return { ok: true, value: undefined };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, error: 'Metadata must be valid JSON, e.g. {"userId": "u_123"}.' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, error: 'Metadata must be a JSON object, e.g. {"userId": "u_123"}.' };
  }
  return { ok: true, value: value as Record<string, unknown> };
}
