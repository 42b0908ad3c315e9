import { z } from 'zod';
import { idSchema, listLimitSchema, storableText } from './common.ts';
import { replySourceSchema } from './knowledge.ts';

export * from './accounts.ts';
export { idSchema, pathIdSchema, storableText, workspaceSchema } from './common.ts';
export * from './dashboard.ts';
export * from './knowledge.ts';

// The request and response shapes of the public API, shared by the server and its clients.

export const MODEL_PROVIDERS = ['openai', 'anthropic', 'ollama', 'local'] as const;
export type ModelProvider = (typeof MODEL_PROVIDERS)[number];

const MAX_MESSAGE_CHARACTERS = 32_000;
const MAX_METADATA_BYTES = 16 * 1024;
const MAX_METADATA_DEPTH = 10;

const countCharacters = (text: string): number => {
  let count = 0;
  for (const _ of text) count++;
  return count;
};

/** Every key and string in a JSON value is well-formed; JSON.stringify escapes lone surrogates, so its text cannot tell. */
function isWellFormedJson(value: unknown): boolean {
  let wellFormed = true;
  JSON.stringify(value, (key, inner: unknown) => {
    if (!key.isWellFormed() || (typeof inner === 'string' && !inner.isWellFormed())) wellFormed = false;
    return inner;
  });
  return wellFormed;
}

/**
 * Whether a JSON value nests objects and arrays more than `maxDepth` levels (`{}` is one level). Walked with
 * a list, not recursion, so no depth can overflow the stack.
 */
export function isNestedDeeperThan(value: unknown, maxDepth: number): boolean {
  const pending: [unknown, number][] = [[value, 0]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [inner, depth] = next;
    if (inner === null || typeof inner !== 'object') continue;
    if (depth >= maxDepth) return true;
    for (const child of Object.values(inner)) pending.push([child, depth + 1]);
  }
  return false;
}

export const metadataSchema = z
  .record(z.string(), z.unknown())
  // First, and alone when it fails: the checks after it serialize the value, which recurses.
  .refine((value) => !isNestedDeeperThan(value, MAX_METADATA_DEPTH), {
    message: `must nest objects and arrays at most ${MAX_METADATA_DEPTH} levels deep`,
    abort: true,
  })
  .refine((value) => Buffer.byteLength(JSON.stringify(value)) <= MAX_METADATA_BYTES, {
    message: `must be at most ${MAX_METADATA_BYTES} bytes when serialized`,
  })
  .refine(isWellFormedJson, 'must be well-formed Unicode (no lone surrogates)')
  .meta({
    description: `Free JSON object, at most 16 KB serialized and ${MAX_METADATA_DEPTH} levels deep (the object itself is one)`,
  });

export const chatRequestSchema = z.object({
  message: storableText
    .refine((text) => text.trim().length > 0, 'must not be empty')
    .refine(
      (text) => countCharacters(text) <= MAX_MESSAGE_CHARACTERS,
      `must be at most ${MAX_MESSAGE_CHARACTERS} characters`,
    ),
  conversationId: idSchema.optional(),
  stream: z.boolean().optional(),
  metadata: metadataSchema.optional(),
});
export type ChatRequest = z.infer<typeof chatRequestSchema>;

export const usageSchema = z.object({
  inputTokens: z.number().int(),
  outputTokens: z.number().int(),
  credits: z.number().int(),
});
export type Usage = z.infer<typeof usageSchema>;

export const chatReplySchema = z.object({
  response: z.string(),
  conversationId: z.string(),
  messageId: z.string(),
  usage: usageSchema,
  /** The knowledge passages the reply drew on; present when the chatbot has knowledge. */
  sources: z.array(replySourceSchema).optional(),
});
export type ChatReply = z.infer<typeof chatReplySchema>;

export const modelSchema = z
  .string()
  .max(200)
  .regex(
    new RegExp(`^(${MODEL_PROVIDERS.join('|')})/\\S+$`),
    `must be <provider>/<model name> with provider one of ${MODEL_PROVIDERS.join(', ')}`,
  );

export const rateLimitSchema = z.object({
  requests: z.number().int().min(1).max(1_000_000),
  windowSeconds: z.number().int().min(1).max(86_400),
});

const chatbotFields = {
  name: storableText.pipe(z.string().trim().min(1).max(200)),
  instructions: storableText.pipe(z.string().max(32_000)),
  model: modelSchema,
  temperature: z.number().min(0).max(2),
  maxTokens: z.number().int().min(1).max(200_000),
  streaming: z.boolean(),
  rateLimit: rateLimitSchema,
  /** What the chatbot answers when its knowledge has nothing on a question; null for the built-in wording. */
  fallbackMessage: storableText.pipe(z.string().trim().min(1).max(2_000)).nullable(),
  status: z.enum(['active', 'inactive']),
};

export const chatbotCreateSchema = z.object({
  ...chatbotFields,
  instructions: chatbotFields.instructions.optional(),
  model: chatbotFields.model.optional(),
  temperature: chatbotFields.temperature.optional(),
  maxTokens: chatbotFields.maxTokens.optional(),
  streaming: chatbotFields.streaming.optional(),
  rateLimit: chatbotFields.rateLimit.optional(),
  fallbackMessage: chatbotFields.fallbackMessage.optional(),
  status: chatbotFields.status.optional(),
});
export type ChatbotCreate = z.infer<typeof chatbotCreateSchema>;

export const chatbotUpdateSchema = z.object(chatbotFields).partial();
export type ChatbotUpdate = z.infer<typeof chatbotUpdateSchema>;

export const chatbotSchema = z.object({
  id: z.string(),
  name: z.string(),
  instructions: z.string(),
  model: z.string(),
  temperature: z.number(),
  maxTokens: z.number().int(),
  streaming: z.boolean(),
  rateLimit: rateLimitSchema,
  fallbackMessage: z.string().nullable(),
  status: z.enum(['active', 'inactive']),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const messageSchema = z.object({
  id: z.string(),
  role: z.enum(['user', 'assistant']),
  content: z.string(),
  metadata: z.record(z.string(), z.unknown()).nullable(),
  status: z.enum(['generating', 'complete', 'incomplete', 'failed']),
  usage: usageSchema.nullable(),
  createdAt: z.string(),
});

export const conversationSummarySchema = z.object({
  id: z.string(),
  chatbotId: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const conversationSchema = conversationSummarySchema.extend({ messages: z.array(messageSchema) });

/** A conversation's messages come a page at a time, oldest first: at most this many, this many by default. */
export const MAX_MESSAGES_PAGE = 500;
export const DEFAULT_MESSAGES_PAGE = 100;

/** `?limit` (1-500, 100 by default) and `?cursor` (the previous page's `nextCursor`) of a conversation's messages. */
export const conversationQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_MESSAGES_PAGE).default(DEFAULT_MESSAGES_PAGE),
  cursor: idSchema.optional(),
});

/** A conversation with one page of its messages; `nextCursor` asks for the messages after them (null: none). */
export const conversationEnvelopeSchema = z.object({
  success: z.literal(true),
  data: conversationSchema,
  nextCursor: z.string().nullable(),
});

export const apiKeySchema = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  createdBy: z
    .string()
    .nullable()
    .meta({
      description:
        'The user id of the person who created it; null when the operator API, the demo or an API key did. ' +
        'Their keys are revoked when they leave the workspace, unless the owner keeps them.',
    }),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});

export const apiKeyCreateSchema = z.object({ name: storableText.pipe(z.string().trim().min(1).max(200)) });

export const apiKeyCreatedSchema = z.object({
  id: z.string(),
  name: z.string(),
  key: z.string().meta({ description: 'The secret key; shown only in this response' }),
  prefix: z.string(),
  createdBy: z
    .string()
    .nullable()
    .meta({
      description:
        'The user id of the person who created it; null when the operator API, the demo or an API key did. ' +
        'Their keys are revoked when they leave the workspace, unless the owner keeps them.',
    }),
  createdAt: z.string(),
});

export const workspaceCreateSchema = z.object({
  name: storableText.pipe(z.string().trim().min(1).max(200)),
  credits: z.number().int().min(0).max(1_000_000_000).optional(),
});

export const creditAdjustmentSchema = z.object({
  amount: z
    .number()
    .int()
    .min(-1_000_000_000)
    .max(1_000_000_000)
    .refine((amount) => amount !== 0, 'must not be zero'),
});

export const listQuerySchema = z.object({ limit: listLimitSchema, cursor: idSchema.optional() });

/** The failure envelope; some codes add fields (retryAfter, details, conversationId, messageId). */
export const errorEnvelopeSchema = z.looseObject({
  success: z.literal(false),
  error: z.string(),
  code: z.string(),
});

export function successEnvelope<T extends z.ZodType>(data: T) {
  return z.object({ success: z.literal(true), data });
}

export function listEnvelope<T extends z.ZodType>(item: T) {
  return z.object({ success: z.literal(true), data: z.array(item), nextCursor: z.string().nullable() });
}

/** Server-Sent Events of a streamed reply, in order: start, delta*, then one of done or error. */
export type ChatStreamEvent =
  | { event: 'start'; data: { conversationId: string; messageId: string } }
  | { event: 'delta'; data: { content: string } }
  | { event: 'done'; data: { success: true; data: ChatReply } }
  | { event: 'error'; data: { success: false; error: string; code: string } & Record<string, unknown> };
