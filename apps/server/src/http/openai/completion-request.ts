import { idSchema, storable } from '@pollybot/contracts';
import { z } from 'zod';
import type { AppError } from '../../errors/app-error.ts';
import type { TurnPromptOptions } from '../../features/chat/send-message.ts';
import { unsupported } from './openai-error.ts';

// The request of POST /api/openai/v1/chat/completions: OpenAI's Chat Completions body, with the caps PollyBot
// puts on what a caller controls, and its mapping onto the chat pipeline's turn (docs/openai-compatible.md).

/** The most messages one request may carry. */
const MAX_MESSAGES = 256;
/** The most characters of one message's text (the native API's cap on a message). */
const MAX_MESSAGE_CHARACTERS = 32_000;
/** The most characters of the request's system and developer messages together. */
const MAX_SYSTEM_CHARACTERS = 16_000;
/** The heading the request's system text is appended under, after the chatbot's own instructions. */
const SYSTEM_HEADING = '## Additional instructions from the API request';

const text = storable(z.string());

const contentPartSchema = z.looseObject({ type: z.string(), text: text.optional() });

const messageSchema = z.looseObject({
  role: z.enum(['system', 'developer', 'user', 'assistant', 'tool', 'function']),
  content: z
    .union([text, z.array(contentPartSchema).max(MAX_MESSAGES)])
    .nullable()
    .optional(),
  name: z.string().max(256).optional(),
});

/** A parameter PollyBot does not honour: accepted only with OpenAI's default (or null), else a 400. */
const onlyDefault = (description: string) => z.unknown().optional().meta({ description });

export const completionRequestSchema = z
  .object({
    model: idSchema.meta({ description: 'The chatbot’s id (GET /api/openai/v1/models lists them)' }),
    messages: z.array(messageSchema).min(1).max(MAX_MESSAGES),
    stream: z.boolean().nullable().optional(),
    stream_options: z.object({ include_usage: z.boolean().nullable().optional() }).nullable().optional(),
    temperature: z.number().min(0).max(2).nullable().optional(),
    max_tokens: z.number().int().min(1).nullable().optional(),
    max_completion_tokens: z.number().int().min(1).nullable().optional(),
    user: storable(z.string().max(200)).nullable().optional().meta({
      description: 'Your end user’s id: stored as the message’s metadata.userId (the inbox filters on it)',
    }),
    metadata: z
      .record(z.string().max(64), storable(z.string().max(512)))
      .refine((value) => Object.keys(value).length <= 16, 'must have at most 16 keys')
      .nullable()
      .optional()
      .meta({ description: 'Up to 16 string pairs, stored with the message' }),
    n: onlyDefault('Only 1'),
    tools: onlyDefault('Not supported: absent, null or empty'),
    tool_choice: onlyDefault('Not supported: absent, null or "none"'),
    functions: onlyDefault('Not supported: absent, null or empty'),
    function_call: onlyDefault('Not supported: absent, null or "none"'),
    response_format: onlyDefault('Only {"type": "text"}'),
    logprobs: onlyDefault('Only false'),
    top_logprobs: onlyDefault('Not supported'),
    stop: onlyDefault('Not supported: absent, null or empty'),
    top_p: onlyDefault('Only 1'),
    frequency_penalty: onlyDefault('Only 0'),
    presence_penalty: onlyDefault('Only 0'),
    logit_bias: onlyDefault('Not supported: absent, null or empty'),
    seed: onlyDefault('Not supported'),
    audio: onlyDefault('Not supported'),
    modalities: onlyDefault('Only ["text"]'),
    prediction: onlyDefault('Not supported'),
    reasoning_effort: onlyDefault('Not supported'),
    web_search_options: onlyDefault('Not supported'),
  })
  .meta({
    examples: [
      {
        model: '01JD7Q9B3C4D5E6F7G8H9J0K1M',
        messages: [{ role: 'user', content: 'What are your opening hours on Saturday?' }],
        stream: false,
      },
    ],
  });
export type CompletionRequest = z.infer<typeof completionRequestSchema>;

const isUnset = (value: unknown) => value === undefined || value === null;
const isEmpty = (value: unknown) =>
  isUnset(value) ||
  (Array.isArray(value) && value.length === 0) ||
  (typeof value === 'object' && value !== null && Object.keys(value).length === 0);

/** The first parameter PollyBot cannot honour with the value it was given, as OpenAI's 400; undefined if none. */
function findUnsupported(body: CompletionRequest): AppError | undefined {
  const refuse = (param: string, code: 'unsupported_parameter' | 'unsupported_value', why: string) =>
    unsupported(
      param,
      code,
      `Unsupported ${code === 'unsupported_value' ? 'value' : 'parameter'}: '${param}' ${why}.`,
    );
  if (!isUnset(body.n) && body.n !== 1) return refuse('n', 'unsupported_value', 'must be 1');
  for (const param of ['tools', 'functions', 'logit_bias', 'stop'] as const)
    if (!isEmpty(body[param])) return refuse(param, 'unsupported_parameter', 'is not supported');
  for (const param of ['tool_choice', 'function_call'] as const)
    if (!isUnset(body[param]) && body[param] !== 'none')
      return refuse(param, 'unsupported_parameter', 'is not supported');
  const format = body.response_format as { type?: unknown } | null | undefined;
  if (!isUnset(format) && format?.type !== 'text')
    return refuse('response_format', 'unsupported_value', 'must be {"type": "text"}');
  if (!isUnset(body.logprobs) && body.logprobs !== false)
    return refuse('logprobs', 'unsupported_value', 'must be false');
  if (!isUnset(body.top_p) && body.top_p !== 1) return refuse('top_p', 'unsupported_value', 'must be 1');
  for (const param of ['frequency_penalty', 'presence_penalty'] as const)
    if (!isUnset(body[param]) && body[param] !== 0) return refuse(param, 'unsupported_value', 'must be 0');
  const modalities = body.modalities;
  if (!isUnset(modalities) && !(Array.isArray(modalities) && modalities.every((kind) => kind === 'text')))
    return refuse('modalities', 'unsupported_value', 'must be ["text"]');
  for (const param of [
    'top_logprobs',
    'seed',
    'audio',
    'prediction',
    'reasoning_effort',
    'web_search_options',
  ] as const)
    if (!isUnset(body[param])) return refuse(param, 'unsupported_parameter', 'is not supported');
  return undefined;
}

/** One message's text: a string, or its text parts joined; anything but text is refused. */
function readText(message: CompletionRequest['messages'][number], index: number): string {
  const { content } = message;
  if (content === undefined || content === null) {
    if (message.role === 'assistant') return '';
    throw unsupported(
      `messages[${index}].content`,
      'invalid_value',
      `'messages[${index}].content' is required.`,
    );
  }
  if (typeof content === 'string') return content;
  return content
    .map((part, partIndex) => {
      if (part.type !== 'text' || typeof part.text !== 'string')
        throw unsupported(
          `messages[${index}].content[${partIndex}].type`,
          'unsupported_value',
          `Unsupported value: only text content parts are supported, not '${part.type}'.`,
        );
      return part.text;
    })
    .join('\n');
}

const countCharacters = (value: string) => [...value].length;

/** What the request asks of the chat pipeline: its message, the prompt it shapes, how it is answered. */
export type CompletionTurn = {
  message: string;
  prompt: TurnPromptOptions;
  metadata: Record<string, unknown> | undefined;
  stream: boolean;
  includeUsage: boolean;
};

/**
 * The turn a Chat Completions request stands for: the last message (a `user` one) is the message; earlier
 * `user` and `assistant` messages are the history; `system` and `developer` messages, joined, are appended to
 * the chatbot's instructions under `SYSTEM_HEADING`. Throws OpenAI's 400 for what PollyBot cannot honour.
 */
export function toCompletionTurn(body: CompletionRequest): CompletionTurn {
  const refusal = findUnsupported(body);
  if (refusal) throw refusal;
  const system: string[] = [];
  const history: NonNullable<TurnPromptOptions['history']> = [];
  body.messages.forEach((message, index) => {
    if (message.role === 'tool' || message.role === 'function')
      throw unsupported(
        `messages[${index}].role`,
        'unsupported_value',
        `Unsupported value: role '${message.role}' is not supported.`,
      );
    if (message.role === 'assistant' && (!isEmpty(message.tool_calls) || !isUnset(message.function_call)))
      throw unsupported(
        `messages[${index}].tool_calls`,
        'unsupported_parameter',
        'Unsupported parameter: tool calls are not supported.',
      );
    const content = readText(message, index);
    if (countCharacters(content) > MAX_MESSAGE_CHARACTERS)
      throw unsupported(
        `messages[${index}].content`,
        'invalid_value',
        `'messages[${index}].content' must be at most ${MAX_MESSAGE_CHARACTERS} characters.`,
      );
    if (message.role === 'system' || message.role === 'developer') system.push(content);
    else history.push({ role: message.role, content });
  });
  const last = history.pop();
  const lastIndex = body.messages.length - 1;
  if (last?.role !== 'user' || body.messages[lastIndex]?.role !== 'user')
    throw unsupported(
      `messages[${lastIndex}].role`,
      'invalid_value',
      "The last message must have the role 'user'.",
    );
  if (!/\S/.test(last.content))
    throw unsupported(
      `messages[${lastIndex}].content`,
      'invalid_value',
      'The last user message must not be empty.',
    );
  const systemText = system.filter((part) => /\S/.test(part)).join('\n\n');
  if (countCharacters(systemText) > MAX_SYSTEM_CHARACTERS)
    throw unsupported(
      'messages',
      'invalid_value',
      `The system and developer messages must be at most ${MAX_SYSTEM_CHARACTERS} characters together.`,
    );
  const metadata = { ...body.metadata, ...(body.user ? { userId: body.user } : {}) };
  return {
    message: last.content,
    prompt: {
      history,
      appendedInstructions: systemText ? `${SYSTEM_HEADING}\n\n${systemText}` : undefined,
      temperature: body.temperature ?? undefined,
      maxTokens: body.max_completion_tokens ?? body.max_tokens ?? undefined,
    },
    metadata: Object.keys(metadata).length > 0 ? metadata : undefined,
    stream: body.stream === true,
    includeUsage: body.stream === true && body.stream_options?.include_usage === true,
  };
}
