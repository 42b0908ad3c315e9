import { idSchema, pathIdSchema } from '@pollybot/contracts';
import { z } from 'zod';
import { mediaResponse, type ResponseHeaders } from '../route-schemas.ts';
import { completionRequestSchema } from './completion-request.ts';
import { completionSchema, completionStreamEventSchema } from './completion-response.ts';
import { openAiErrorSchema } from './openai-error.ts';

// What the OpenAI-compatible routes validate, serialize and show in /openapi.json.

/** Where OpenAI's clients are pointed (their base URL). */
export const OPENAI_PREFIX = '/api/openai/v1';

/** A workspace API key only: OpenAI's clients send one as their API key. */
const openAiSecurity: Record<string, string[]>[] = [{ apiKey: [] }];

/** What every route can answer: malformed input, a missing key, a fault, a server draining. */
const ALWAYS: [number, string][] = [
  [400, 'invalid_value: the request, naming the parameter in param'],
  [401, 'invalid_api_key: a missing, unknown or revoked workspace key'],
  [413, 'payload_too_large'],
  [415, 'unsupported_media_type'],
  [500, 'internal_error'],
  [503, 'service_unavailable'],
];

/** Error responses in OpenAI's shape, each status with the codes it can carry. */
function openAiErrorResponses(errors: [number, string][]): Record<number, z.ZodType> {
  const byStatus = new Map<number, string[]>();
  for (const [status, description] of [...errors, ...ALWAYS])
    byStatus.set(status, [...(byStatus.get(status) ?? []), description]);
  return Object.fromEntries(
    [...byStatus].map(([status, descriptions]) => [
      status,
      openAiErrorSchema.describe(descriptions.join('; ')),
    ]),
  );
}

const modelObjectSchema = z.object({
  id: z.string().meta({ description: 'The chatbot’s id: the `model` of a chat completion' }),
  object: z.literal('model'),
  created: z.number().int().meta({ description: 'When the chatbot was created, in Unix seconds' }),
  owned_by: z.string().meta({ description: 'The workspace’s id' }),
  name: z.string().meta({ description: 'The chatbot’s name (an extension some clients show)' }),
});

const modelParamsSchema = z.object({ model: pathIdSchema });

export const openAiModelsListSchema = {
  summary: 'OpenAI-compatible: the workspace’s active chatbots as models',
  tags: ['openai'],
  security: openAiSecurity,
  response: {
    200: z.object({ object: z.literal('list'), data: z.array(modelObjectSchema) }),
    ...openAiErrorResponses([]),
  },
};

export const openAiModelsGetSchema = {
  summary: 'OpenAI-compatible: one active chatbot as a model',
  tags: ['openai'],
  security: openAiSecurity,
  params: modelParamsSchema,
  response: {
    200: modelObjectSchema,
    ...openAiErrorResponses([[404, 'model_not_found: no active chatbot of the key’s workspace has this id']]),
  },
};

const CHAT_HEADERS = ['X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset'] as const;

/** Rate-limit headers once the chatbot is known; the balance and the conversation as on the native route. */
const COMPLETION_RESPONSE_HEADERS: ResponseHeaders = {
  default: [...CHAT_HEADERS, 'X-Credits-Remaining', 'X-PollyBot-Conversation-Id'],
  401: [],
};

export const openAiCompletionsCreateSchema = {
  summary: 'OpenAI-compatible: a chat completion from a chatbot',
  description:
    'OpenAI’s Chat Completions, answered by the chatbot whose id is `model`, through the same pipeline as POST ' +
    '/api/v1/chatbots/{chatbotId}/chat (instructions, knowledge, rate limit, credits, stored conversation). The ' +
    'last message must be a user message; earlier user and assistant messages are the history; system and ' +
    'developer messages are appended to the chatbot’s instructions. X-PollyBot-Conversation-Id continues a ' +
    'stored conversation instead. See docs/openai-compatible.md.',
  tags: ['openai'],
  security: openAiSecurity,
  body: completionRequestSchema,
  documentedHeaders: z.object({
    'X-PollyBot-Conversation-Id': idSchema.optional().meta({
      description:
        'Continue this stored conversation of the chatbot (its stored messages are the history; earlier ' +
        'messages of the request are not used). Every answer names its conversation in this header.',
      examples: ['01JD7Q9B3C4D5E6F7G8H9J0K1M'],
    }),
  }),
  responseHeaders: COMPLETION_RESPONSE_HEADERS,
  response: {
    200: mediaResponse(
      'A chat.completion, or with stream: true a text/event-stream of chat.completion.chunk',
      {
        'application/json': completionSchema,
        'text/event-stream': completionStreamEventSchema,
      },
    ),
    ...openAiErrorResponses([
      [400, 'unsupported_parameter, unsupported_value: a parameter PollyBot does not honour, named in param'],
      [402, 'insufficient_quota: the workspace’s credits are below the price of one reply'],
      [403, 'model_inactive: the chatbot is inactive'],
      [404, 'model_not_found: no chatbot of the key’s workspace has this id'],
      [404, 'conversation_not_found: X-PollyBot-Conversation-Id names no conversation of this chatbot'],
      [429, 'rate_limit_exceeded: the chatbot’s rate limit; retry after Retry-After seconds'],
      [502, 'provider_error: the AI provider failed'],
      [504, 'provider_timeout: the AI provider did not answer in time'],
    ]),
  },
};
