import { z } from 'zod';
import { idSchema, listLimitSchema, NOT_BLANK, storable } from './common.ts';
import { conversationChannelSchema, conversationVisitorSchema } from './dashboard.ts';
import { replySourceSchema } from './knowledge.ts';

export * from './accounts.ts';
export { idSchema, pathIdSchema, storable, workspaceSchema } from './common.ts';
export * from './dashboard.ts';
export * from './knowledge.ts';

// The request and response shapes of the public API, shared by the server and its clients.

export const MODEL_PROVIDERS = ['openai', 'anthropic', 'ollama', 'local'] as const;
export type ModelProvider = (typeof MODEL_PROVIDERS)[number];

export const MAX_MESSAGE_CHARACTERS = 32_000;
const MAX_METADATA_BYTES = 16 * 1024;
const MAX_METADATA_DEPTH = 10;

const utf8 = new TextEncoder();

/** A text's length as the API counts it: in characters (code points), not UTF-16 units. */
export const countCharacters = (text: string): number => {
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
  .refine((value) => utf8.encode(JSON.stringify(value)).byteLength <= MAX_METADATA_BYTES, {
    message: `must be at most ${MAX_METADATA_BYTES} bytes when serialized`,
  })
  .refine(isWellFormedJson, 'must be well-formed Unicode (no lone surrogates)')
  .meta({
    description: `Free JSON object, at most 16 KB serialized and ${MAX_METADATA_DEPTH} levels deep (the object itself is one)`,
    examples: [{ userId: 'customer-4821' }],
  });

export const chatRequestSchema = z
  .object({
    message: storable(z.string().regex(...NOT_BLANK))
      .refine(
        (text) => countCharacters(text) <= MAX_MESSAGE_CHARACTERS,
        `must be at most ${MAX_MESSAGE_CHARACTERS} characters`,
      )
      // Counted in characters (code points), as JSON Schema's maxLength counts them, not in UTF-16 units.
      .meta({ maxLength: MAX_MESSAGE_CHARACTERS, examples: ['What are your opening hours on Saturday?'] }),
    conversationId: idSchema
      .optional()
      .meta({ description: 'Continue this conversation; a new one is started without it' }),
    stream: z.boolean().optional(),
    metadata: metadataSchema.optional(),
  })
  .meta({ examples: [{ message: 'What are your opening hours on Saturday?', stream: false }] });
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

export const rateLimitSchema = z
  .object({
    requests: z.number().int().min(1).max(1_000_000),
    windowSeconds: z.number().int().min(1).max(86_400),
  })
  .meta({ examples: [{ requests: 60, windowSeconds: 60 }] });

/** A chatbot as its examples show it, in requests and responses alike. */
const CHATBOT_EXAMPLE = {
  name: 'Support bot',
  instructions:
    'You answer questions about Acme Bikes: opening hours, orders, repairs and returns. Be brief and friendly.',
  model: 'openai/gpt-4o-mini',
  temperature: 0.7,
  maxTokens: 1024,
  streaming: true,
  rateLimit: { requests: 60, windowSeconds: 60 },
  fallbackMessage: 'I do not know that yet. Please e-mail support@example.com and we will help.',
  status: 'active' as const,
};

const chatbotFields = {
  name: storable(z.string().trim().min(1).max(200)).meta({ examples: [CHATBOT_EXAMPLE.name] }),
  instructions: storable(z.string().max(32_000)).meta({ examples: [CHATBOT_EXAMPLE.instructions] }),
  model: modelSchema.meta({ examples: [CHATBOT_EXAMPLE.model] }),
  // PostgreSQL stores it as a 4-byte real, which cannot hold (and errors on) values as small as 1e-48.
  temperature: z
    .number()
    .min(0)
    .max(2)
    .overwrite((temperature) => Math.round(temperature * 1e6) / 1e6)
    .meta({ description: 'Kept to 6 decimal places', examples: [CHATBOT_EXAMPLE.temperature] }),
  maxTokens: z
    .number()
    .int()
    .min(1)
    .max(200_000)
    .meta({ examples: [CHATBOT_EXAMPLE.maxTokens] }),
  streaming: z.boolean(),
  rateLimit: rateLimitSchema,
  /** What the chatbot answers when its knowledge has nothing on a question; null for the built-in wording. */
  fallbackMessage: storable(z.string().trim().min(1).max(2_000))
    .nullable()
    .meta({ examples: [CHATBOT_EXAMPLE.fallbackMessage] }),
  status: z.enum(['active', 'inactive']),
};

export const chatbotCreateSchema = z
  .object({
    ...chatbotFields,
    instructions: chatbotFields.instructions.optional(),
    model: chatbotFields.model.optional(),
    temperature: chatbotFields.temperature.optional(),
    maxTokens: chatbotFields.maxTokens.optional(),
    streaming: chatbotFields.streaming.optional(),
    rateLimit: chatbotFields.rateLimit.optional(),
    fallbackMessage: chatbotFields.fallbackMessage.optional(),
    status: chatbotFields.status.optional(),
  })
  .meta({ examples: [CHATBOT_EXAMPLE] });
export type ChatbotCreate = z.infer<typeof chatbotCreateSchema>;

export const chatbotUpdateSchema = z
  .object(chatbotFields)
  .partial()
  .meta({ examples: [{ maxTokens: 2048, rateLimit: { requests: 120, windowSeconds: 60 } }] });
export type ChatbotUpdate = z.infer<typeof chatbotUpdateSchema>;

export const chatbotSchema = z
  .object({
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
  })
  .meta({
    examples: [
      {
        id: '01JD7Q4M8X2V6K3N9P5R1T0WZA',
        ...CHATBOT_EXAMPLE,
        createdAt: '2025-11-03T09:12:44.512Z',
        updatedAt: '2025-11-03T09:12:44.512Z',
      },
    ],
  });

export const messageSchema = z.object({
  id: z.string(),
  role: z.enum(['user', 'assistant']),
  content: z.string(),
  metadata: z.record(z.string(), z.unknown()).nullable(),
  status: z.enum(['generating', 'complete', 'incomplete', 'failed']),
  usage: usageSchema.nullable(),
  /** A visitor's thumbs on an assistant reply in the widget; null when unrated (and for user messages). */
  feedback: z.enum(['up', 'down']).nullable(),
  /** Why a `failed` reply failed: its error code and that code's sentence (as its stream's `error` event said); null otherwise. */
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  createdAt: z.string(),
});

export const conversationSummarySchema = z.object({
  id: z.string(),
  chatbotId: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

/** A conversation's page: where it started (`channel`), its widget visitor (null for the API), its messages. */
export const conversationSchema = conversationSummarySchema.extend({
  channel: conversationChannelSchema,
  visitor: conversationVisitorSchema,
  messages: z.array(messageSchema),
});

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

/** Who created an API key, as both the key and its creation answer show it. */
const apiKeyCreatorSchema = z
  .string()
  .nullable()
  .meta({
    description:
      'The user id of the person who created it; null when the operator API, the demo or an API key did. ' +
      'Their keys are revoked when they leave the workspace, unless the owner keeps them.',
  });

export const apiKeySchema = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  createdBy: apiKeyCreatorSchema,
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});

export const apiKeyCreateSchema = z
  .object({ name: storable(z.string().trim().min(1).max(200)) })
  .meta({ examples: [{ name: 'Website widget' }] });

export const apiKeyCreatedSchema = z.object({
  id: z.string(),
  name: z.string(),
  key: z.string().meta({ description: 'The secret key; shown only in this response' }),
  prefix: z.string(),
  createdBy: apiKeyCreatorSchema,
  createdAt: z.string(),
});

export const workspaceCreateSchema = z
  .object({
    name: storable(z.string().trim().min(1).max(200)),
    credits: z.number().int().min(0).max(1_000_000_000).optional(),
  })
  .meta({ examples: [{ name: 'Acme Bikes', credits: 10_000 }] });

export const creditAdjustmentSchema = z
  .object({
    amount: z
      .number()
      .int()
      .min(-1_000_000_000)
      .max(1_000_000_000)
      .refine((amount) => amount !== 0, 'must not be zero')
      .meta({ not: { const: 0 } }),
  })
  .meta({ examples: [{ amount: 5_000 }] });

export const listQuerySchema = z.object({ limit: listLimitSchema, cursor: idSchema.optional() });

/** The failure envelope; some codes add fields (retryAfter, details, conversationId, messageId). */
export const errorEnvelopeSchema = z.looseObject({
  success: z.literal(false),
  error: z.string(),
  code: z.string(),
});

/** The answer of a DELETE that removed the resource (a chatbot, a conversation, a knowledge source). */
export const deletedSchema = z.object({ id: z.string(), deleted: z.literal(true) });

/** The answer of a DELETE that revoked an API key or an invitation. */
export const revokedSchema = z.object({ id: z.string(), revoked: z.literal(true) });

export function successEnvelope<T extends z.ZodType>(data: T) {
  return z.object({ success: z.literal(true), data });
}

export function listEnvelope<T extends z.ZodType>(item: T) {
  return z.object({ success: z.literal(true), data: z.array(item), nextCursor: z.string().nullable() });
}

/** The id of a reply's stream event, which the client sends back as Last-Event-ID to resume. */
export const replyEventIdSchema = z
  .string()
  .max(13)
  .regex(/^\d{1,9}(-end)?$/)
  .meta({
    description:
      'The position in the reply this event brings the client to: `0` for start, the length of the text so far ' +
      'for a delta, `<length>-end` for done or error. Send the last one received as Last-Event-ID to resume.',
  });

/**
 * One Server-Sent Event of a streamed reply, as sent: `id:`, `event:` and `data:` (the JSON below, on one line).
 * In order: start, delta*, then one of done or error, which ends the stream.
 */
export const chatStreamEventSchema = z
  .discriminatedUnion('event', [
    z.object({
      id: replyEventIdSchema,
      event: z.literal('start'),
      data: z.object({ conversationId: z.string(), messageId: z.string() }),
    }),
    z.object({ id: replyEventIdSchema, event: z.literal('delta'), data: z.object({ content: z.string() }) }),
    z.object({ id: replyEventIdSchema, event: z.literal('done'), data: successEnvelope(chatReplySchema) }),
    z.object({ id: replyEventIdSchema, event: z.literal('error'), data: errorEnvelopeSchema }),
  ])
  .meta({
    examples: [
      {
        id: '0',
        event: 'start',
        data: { conversationId: '01JD7Q9B3C4D5E6F7G8H9J0K1M', messageId: '01JD7Q9B3C4D5E6F7G8H9J0K1N' },
      },
      { id: '25', event: 'delta', data: { content: 'Saturdays: 9:00 to 17:00.' } },
      {
        id: '25-end',
        event: 'done',
        data: {
          success: true,
          data: {
            response: 'Saturdays: 9:00 to 17:00.',
            conversationId: '01JD7Q9B3C4D5E6F7G8H9J0K1M',
            messageId: '01JD7Q9B3C4D5E6F7G8H9J0K1N',
            usage: { inputTokens: 412, outputTokens: 9, credits: 1 },
          },
        },
      },
    ],
  });
export type ChatStreamEventWithId = z.infer<typeof chatStreamEventSchema>;
/** A stream event as a client reads it, without its id. */
export type ChatStreamEvent = ChatStreamEventWithId extends infer Event
  ? Event extends unknown
    ? Omit<Event, 'id'>
    : never
  : never;
export * from './widget.ts';
