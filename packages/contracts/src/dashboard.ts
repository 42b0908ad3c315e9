import { z } from 'zod';
import { listLimitSchema, NO_NUL, pathIdSchema } from './common.ts';

// The workspace views the dashboard reads: models, the inbox, usage and the credit ledger.

export const modelCatalogSchema = z.object({
  providers: z.array(
    z.object({
      id: z.string(),
      configured: z.boolean(),
      models: z
        .array(z.string())
        .meta({ description: 'Suggested model names; a chatbot’s model is `<provider id>/<name>`' }),
    }),
  ),
  default: z.string().meta({ description: 'The model of new chatbots, as `<provider>/<name>`' }),
});

/** A UTC day (`2025-01-31`) or a timestamp with its offset. */
const dateOrTimestampSchema = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);

export const inboxQuerySchema = z.object({
  chatbotId: z
    .string()
    .max(64)
    .regex(...NO_NUL)
    .optional(),
  from: dateOrTimestampSchema.optional().meta({ description: 'Active at or after this time (or day)' }),
  to: dateOrTimestampSchema.optional().meta({ description: 'Started at or before this time (or day)' }),
  userId: z
    .string()
    .max(200)
    .regex(...NO_NUL)
    .optional()
    .meta({ description: 'A message’s `metadata.userId`' }),
  q: z
    .string()
    .max(200)
    .regex(...NO_NUL)
    .optional()
    .meta({ description: 'Text in a message, case-insensitive, taken literally' }),
  limit: listLimitSchema,
  cursor: z
    .string()
    .max(200)
    .regex(...NO_NUL)
    .optional(),
});
export type InboxQuery = z.infer<typeof inboxQuerySchema>;

/** Where a conversation started: the API (a key or the playground) or the website widget. */
export const conversationChannelSchema = z.enum(['api', 'widget']);

/** The widget's visitor of a widget conversation: verified when the business signed their identity. */
export const conversationVisitorSchema = z
  .object({
    id: z.string(),
    verified: z.boolean(),
    userId: z.string().nullable(),
    name: z.string().nullable(),
    email: z.string().nullable(),
  })
  .nullable();

export const inboxConversationSchema = z.object({
  id: z.string(),
  chatbotId: z.string(),
  chatbotName: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  messageCount: z.number().int(),
  channel: conversationChannelSchema,
  visitor: conversationVisitorSchema,
  lastMessage: z
    .object({ role: z.enum(['user', 'assistant']), content: z.string(), createdAt: z.string() })
    .nullable(),
});

export const usageQuerySchema = z.object({ days: z.coerce.number().int().min(1).max(365).default(30) });

const usageTotals = { messages: z.number().int(), credits: z.number().int() };

export const usageReportSchema = z.object({
  days: z.array(z.object({ date: z.string(), ...usageTotals })),
  chatbots: z.array(z.object({ chatbotId: z.string(), name: z.string(), ...usageTotals })),
  balance: z.number().int(),
});
export type UsageReport = z.infer<typeof usageReportSchema>;

export const ledgerEntrySchema = z.object({
  id: z.string(),
  amount: z.number().int(),
  balanceAfter: z.number().int(),
  reason: z.enum(['grant', 'adjustment', 'reservation', 'release']),
  createdAt: z.string(),
  conversation: z
    .object({ chatbotId: z.string(), conversationId: z.string() })
    .nullable()
    .optional()
    .meta({ description: 'For a reply’s reservation or release: the conversation of that reply; else null' }),
});

export const memberParamsSchema = z.object({ userId: pathIdSchema });
