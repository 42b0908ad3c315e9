import { z } from 'zod';
import { idSchema, NOT_BLANK, storable } from './common.ts';
import { replySourceSchema } from './knowledge.ts';

// The website widget: publishable keys and the widget's settings (managed with a workspace key or the
// dashboard under /api/v1), and the public widget API under /api/widget/v1 that a visitor's panel calls.

/** A publishable key: `pk-chatbot_` and 32 base62 characters. Public by design: it is in the page's HTML. */
export const PUBLISHABLE_KEY_PATTERN = /^pk-chatbot_[0-9A-Za-z]{32}$/;

/** At most this many allowed origins per publishable key, and this many live keys per chatbot. */
export const MAX_ALLOWED_ORIGINS = 20;
export const MAX_PUBLISHABLE_KEYS = 20;

/**
 * What a browser reduces to an origin: scheme (http or https), host and an optional port, with a default port
 * (`http://localhost:80`), a trailing slash and any case allowed. No path, query, fragment, credentials or
 * wildcard. The server stores it as `new URL(value).origin` (`http://localhost`).
 */
const ORIGIN_SHAPE = /^https?:\/\/[^/?#@*\\\s]+\/?$/i;

export const allowedOriginSchema = z
  .string()
  .max(300)
  .refine((value) => {
    if (!ORIGIN_SHAPE.test(value)) return false;
    try {
      return new URL(value).origin !== 'null';
    } catch {
      return false;
    }
  }, 'must be an origin such as https://www.example.com (scheme, host and optional port; no path, query, credentials or wildcard)')
  .meta({ examples: ['https://www.example.com', 'http://localhost:8080'] });

export const publishableKeyCreateSchema = z
  .object({
    allowedOrigins: z
      .array(allowedOriginSchema)
      .max(MAX_ALLOWED_ORIGINS)
      .meta({ description: 'The sites that may embed the widget; an empty list refuses every site' }),
    name: storable(z.string().trim().min(1).max(200)).optional(),
  })
  .meta({ examples: [{ allowedOrigins: ['https://www.example.com'], name: 'Main site' }] });
export type PublishableKeyCreate = z.infer<typeof publishableKeyCreateSchema>;

export const publishableKeyUpdateSchema = z
  .object({ allowedOrigins: publishableKeyCreateSchema.shape.allowedOrigins })
  .meta({ examples: [{ allowedOrigins: ['https://www.example.com', 'https://shop.example.com'] }] });

export const publishableKeySchema = z.object({
  id: z.string(),
  chatbotId: z.string(),
  name: z.string().nullable(),
  key: z
    .string()
    .meta({ description: 'The publishable key itself: public, it goes in the page’s script tag' }),
  allowedOrigins: z.array(z.string()),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
});
export type PublishableKey = z.infer<typeof publishableKeySchema>;

export const WIDGET_THEMES = ['light', 'dark', 'auto'] as const;
export const WIDGET_POSITIONS = ['bottom-right', 'bottom-left'] as const;
export const IDENTITY_MODES = ['off', 'optional', 'required'] as const;

const hexColourSchema = z
  .string()
  .regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour as #rrggbb')
  .meta({ examples: ['#4f46e5'] });

const widgetLimitSchema = z.object({
  requests: z.number().int().min(1).max(1_000_000),
  windowSeconds: z.number().int().min(1).max(86_400),
});

/** How the widget looks and what it lets the public do; every field has a default. */
export const widgetSettingsSchema = z.object({
  title: storable(z.string().trim().min(1).max(80)),
  welcomeMessage: storable(z.string().max(1_000)).meta({
    description: 'Shown first in a new conversation; may be empty',
  }),
  starterQuestions: z.array(storable(z.string().trim().min(1).max(200))).max(6),
  accentColor: hexColourSchema,
  theme: z.enum(WIDGET_THEMES),
  position: z.enum(WIDGET_POSITIONS),
  /** An https URL of an image, or null for the default avatar. */
  avatarUrl: z
    .string()
    .max(2_000)
    .refine((value) => {
      try {
        return new URL(value).protocol === 'https:';
      } catch {
        return false;
      }
    }, 'must be an https URL')
    .nullable(),
  /** What a visitor reads when a limit trips or the workspace's credits run out. */
  limitMessage: storable(z.string().trim().min(1).max(500)),
  /** What a visitor reads when the chatbot cannot answer (the provider failed, the chatbot is inactive). */
  offlineMessage: storable(z.string().trim().min(1).max(500)),
  identity: z
    .enum(IDENTITY_MODES)
    .meta({ description: 'Whether visitors present a JWT signed with the chatbot’s identity secret' }),
  limits: z.object({
    perVisitor: widgetLimitSchema,
    perIp: widgetLimitSchema,
    perDay: z
      .number()
      .int()
      .min(1)
      .max(10_000_000)
      .meta({ description: 'Widget messages per chatbot per UTC day' }),
  }),
});
export type WidgetSettings = z.infer<typeof widgetSettingsSchema>;

export const DEFAULT_WIDGET_SETTINGS: WidgetSettings = {
  title: 'Chat with us',
  welcomeMessage: 'Hi! How can I help?',
  starterQuestions: [],
  accentColor: '#4f46e5',
  theme: 'auto',
  position: 'bottom-right',
  avatarUrl: null,
  limitMessage: 'You have sent a lot of messages. Please wait a little and try again.',
  offlineMessage: 'The assistant cannot answer right now. Please try again later.',
  identity: 'off',
  limits: {
    perVisitor: { requests: 20, windowSeconds: 600 },
    perIp: { requests: 60, windowSeconds: 600 },
    perDay: 5_000,
  },
};

/** PUT /api/v1/chatbots/{id}/widget: any subset; the rest is kept. */
export const widgetSettingsUpdateSchema = widgetSettingsSchema.partial().meta({
  examples: [{ title: 'Acme Bikes', accentColor: '#0f766e', starterQuestions: ['When are you open?'] }],
});

/** GET/PUT /api/v1/chatbots/{id}/widget answers the settings and whether an identity secret exists. */
export const widgetConfigSchema = z.object({
  chatbotId: z.string(),
  settings: widgetSettingsSchema,
  hasIdentitySecret: z.boolean(),
});

/** POST /api/v1/chatbots/{id}/widget/identity-secret: a new secret (the old one stops working), shown once. */
export const identitySecretSchema = z.object({
  secret: z
    .string()
    .meta({ description: 'The HS256 secret your backend signs visitors’ JWTs with; shown only here' }),
  createdAt: z.string(),
});

// ---- The public widget API (/api/widget/v1), called from the widget's panel ----

/** What the loader reads to draw the launcher: GET /api/widget/v1/config?key=<publishable key>. */
export const widgetPublicConfigSchema = z.object({
  chatbotId: z.string(),
  title: z.string(),
  welcomeMessage: z.string(),
  starterQuestions: z.array(z.string()),
  accentColor: z.string(),
  theme: z.enum(WIDGET_THEMES),
  position: z.enum(WIDGET_POSITIONS),
  avatarUrl: z.string().nullable(),
  limitMessage: z.string(),
  offlineMessage: z.string(),
  identity: z.enum(IDENTITY_MODES),
});
export type WidgetPublicConfig = z.infer<typeof widgetPublicConfigSchema>;

export const widgetConfigQuerySchema = z.object({ key: z.string().max(100) });

/**
 * POST /api/widget/v1/sessions: starts a visitor session. `origin` is the host page's origin (the panel is
 * served by PollyBot, so it says which page it is on); it must be on the key's list. `visitorToken` (from an
 * earlier session's answer) continues that visitor; `identityToken` is the business's signed JWT.
 */
export const visitorSessionCreateSchema = z.object({
  key: z.string().max(100),
  origin: z.string().max(300),
  visitorToken: z.string().max(200).optional(),
  identityToken: z.string().max(4_000).optional(),
});

export const visitorSessionSchema = z.object({
  token: z.string().meta({ description: 'Bearer token of the widget API; short-lived' }),
  expiresAt: z.string(),
  visitorToken: z
    .string()
    .meta({ description: 'Keep it (the panel’s storage) to be the same visitor after a reload' }),
  visitor: z.object({ id: z.string(), verified: z.boolean(), name: z.string().nullable() }),
  /** The visitor's most recent conversation of this chatbot, continued after a reload. */
  conversationId: z.string().nullable(),
  config: widgetPublicConfigSchema,
});
export type VisitorSession = z.infer<typeof visitorSessionSchema>;

/** POST /api/widget/v1/chat (Authorization: Bearer <session token>): the native chat body without metadata. */
export const widgetChatRequestSchema = z.object({
  message: storable(z.string().regex(...NOT_BLANK)).refine(
    (text) => [...text].length <= 4_000,
    'must be at most 4000 characters',
  ),
  conversationId: idSchema.optional(),
  stream: z.boolean().optional(),
});
export type WidgetChatRequest = z.infer<typeof widgetChatRequestSchema>;

/** A reply as the widget receives it (JSON, or the `done` event's data): no usage, nothing internal. */
export const widgetReplySchema = z.object({
  response: z.string(),
  conversationId: z.string(),
  messageId: z.string(),
  sources: z.array(replySourceSchema).optional(),
});

export const widgetMessageSchema = z.object({
  id: z.string(),
  role: z.enum(['user', 'assistant']),
  content: z.string(),
  status: z.enum(['generating', 'complete', 'incomplete', 'failed']),
  sources: z.array(replySourceSchema).optional(),
  feedback: z.enum(['up', 'down']).nullable(),
  createdAt: z.string(),
});

export const widgetConversationSchema = z.object({
  id: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  messages: z.array(widgetMessageSchema),
});

/** POST /api/widget/v1/messages/{id}/feedback: thumbs up, down, or null to clear. */
export const messageFeedbackSchema = z.object({ rating: z.enum(['up', 'down']).nullable() });

/** The widget's origin check codes and identity codes, as the error envelope's `code`. */
export const WIDGET_ERROR_CODES = [
  'PUBLISHABLE_KEY_INVALID',
  'ORIGIN_NOT_ALLOWED',
  'VISITOR_SESSION_INVALID',
  'IDENTITY_REQUIRED',
  'IDENTITY_INVALID',
  'IDENTITY_EXPIRED',
  'IDENTITY_WRONG_CHATBOT',
  'WIDGET_LIMIT_EXCEEDED',
] as const;
