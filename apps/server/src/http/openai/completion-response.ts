import { type ChatReply, replySourceSchema } from '@pollybot/contracts';
import { z } from 'zod';
import { openAiErrorSchema } from './openai-error.ts';

// The answers of POST /api/openai/v1/chat/completions: a `chat.completion`, or `chat.completion.chunk`s, as
// OpenAI sends them, with PollyBot's extension field `pollybot` (standard clients ignore it).

const usageSchema = z.object({
  prompt_tokens: z.number().int(),
  completion_tokens: z.number().int(),
  total_tokens: z.number().int(),
});

const finishReasonSchema = z.enum(['stop', 'length']);

/** PollyBot's extension: the stored conversation and reply, the credits charged, the knowledge cited. */
const extensionSchema = z
  .object({
    conversationId: z.string(),
    messageId: z.string(),
    credits: z.number().int(),
    sources: z.array(replySourceSchema),
  })
  .meta({ description: 'PollyBot’s extension field; standard clients ignore it' });

export const completionSchema = z.object({
  id: z.string().meta({ description: 'The id of the stored reply (PollyBot’s message id)' }),
  object: z.literal('chat.completion'),
  created: z.number().int(),
  model: z.string(),
  choices: z.array(
    z.object({
      index: z.number().int(),
      message: z.object({
        role: z.literal('assistant'),
        content: z.string(),
        refusal: z.null(),
      }),
      logprobs: z.null(),
      finish_reason: finishReasonSchema,
    }),
  ),
  usage: usageSchema,
  pollybot: extensionSchema,
});

const chunkSchema = z.object({
  id: z.string(),
  object: z.literal('chat.completion.chunk'),
  created: z.number().int(),
  model: z.string(),
  choices: z.array(
    z.object({
      index: z.number().int(),
      delta: z.object({ role: z.literal('assistant').optional(), content: z.string().optional() }),
      logprobs: z.null(),
      finish_reason: finishReasonSchema.nullable(),
    }),
  ),
  usage: usageSchema.nullable().optional(),
  pollybot: extensionSchema.optional(),
});

/** One `data:` line of the stream, as its events read: a chunk, an error after the first chunk, or `[DONE]`. */
export const completionStreamEventSchema = z
  .looseObject({ data: z.union([chunkSchema, openAiErrorSchema, z.literal('[DONE]')]) })
  .meta({
    description:
      'data: chat.completion.chunk JSON (a role chunk, content chunks, a final chunk with an empty delta and a ' +
      'finish_reason, then with stream_options.include_usage a usage chunk with choices: []), then data: [DONE]; ' +
      'a failure after the first chunk is one data: {"error": {...}} line, and the stream ends',
  });

type Completion = z.infer<typeof completionSchema>;
type Chunk = z.infer<typeof chunkSchema>;

/** What every completion and chunk of one answer shares. */
export type CompletionContext = { id: string; created: number; model: string; maxTokens: number };

/** `length` when the reply used the whole token limit it was given, else `stop`. */
function finishReason(reply: ChatReply, context: CompletionContext): 'stop' | 'length' {
  return reply.usage.outputTokens >= context.maxTokens ? 'length' : 'stop';
}

function toUsage(reply: ChatReply): z.infer<typeof usageSchema> {
  const { inputTokens, outputTokens } = reply.usage;
  return {
    prompt_tokens: inputTokens,
    completion_tokens: outputTokens,
    total_tokens: inputTokens + outputTokens,
  };
}

function toExtension(reply: ChatReply): z.infer<typeof extensionSchema> {
  return {
    conversationId: reply.conversationId,
    messageId: reply.messageId,
    credits: reply.usage.credits,
    sources: reply.sources ?? [],
  };
}

export function toCompletion(reply: ChatReply, context: CompletionContext): Completion {
  return {
    id: reply.messageId,
    object: 'chat.completion',
    created: context.created,
    model: context.model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: reply.response, refusal: null },
        logprobs: null,
        finish_reason: finishReason(reply, context),
      },
    ],
    usage: toUsage(reply),
    pollybot: toExtension(reply),
  };
}

/**
 * The chunks of one streamed answer. With `include_usage`, every chunk carries `usage: null` and a last chunk
 * with `choices: []` carries it, as OpenAI does.
 */
export function createChunks(context: CompletionContext, includeUsage: boolean) {
  const chunk = (choice: Chunk['choices'][number] | undefined, extra: Partial<Chunk> = {}): Chunk => ({
    id: context.id,
    object: 'chat.completion.chunk',
    created: context.created,
    model: context.model,
    choices: choice ? [choice] : [],
    ...(includeUsage ? { usage: null } : {}),
    ...extra,
  });
  return {
    role: () =>
      chunk({ index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }),
    content: (content: string) =>
      chunk({ index: 0, delta: { content }, logprobs: null, finish_reason: null }),
    /** The final chunks: an empty delta with the finish reason (and the extension), then the usage chunk. */
    end: (reply: ChatReply): Chunk[] => [
      chunk(
        { index: 0, delta: {}, logprobs: null, finish_reason: finishReason(reply, context) },
        { pollybot: toExtension(reply) },
      ),
      ...(includeUsage ? [chunk(undefined, { usage: toUsage(reply) })] : []),
    ],
  };
}
