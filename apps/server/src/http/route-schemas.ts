import { errorEnvelopeSchema, pathIdSchema, replyEventIdSchema } from '@pollybot/contracts';
import { z } from 'zod';
import { type ErrorCode, errorCatalog } from '../errors/catalog.ts';

// Every route can answer these: malformed input, an oversized body, a wrong content type, a fault,
// and 503 to a request that arrives while the server drains.
const ALWAYS: ErrorCode[] = [
  'VALIDATION_ERROR',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'INTERNAL_ERROR',
  'SERVICE_UNAVAILABLE',
];

/** Response schemas for the error codes a route can answer, grouped by status and listed for the OpenAPI document. */
export function errorResponses(codes: ErrorCode[]): Record<number, z.ZodType> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of [...codes, ...ALWAYS]) {
    const { status } = errorCatalog[code];
    const list = byStatus.get(status) ?? [];
    if (!list.includes(code)) list.push(code);
    byStatus.set(status, list);
  }
  return Object.fromEntries(
    [...byStatus].map(([status, list]) => [
      status,
      errorEnvelopeSchema.describe(list.map((code) => `${code}: ${errorCatalog[code].message}`).join('; ')),
    ]),
  );
}

/** Every workspace route: neither a valid API key nor a session cookie. */
export const API_KEY_ERRORS: ErrorCode[] = ['INVALID_API_KEY'];
/** Workspace routes that change something: with the session cookie, X-CSRF-Token is required too. */
export const CHANGE_ERRORS: ErrorCode[] = [...API_KEY_ERRORS, 'CSRF_TOKEN_INVALID'];
export const ADMIN_ERRORS: ErrorCode[] = ['INVALID_ADMIN_TOKEN'];
/** A workspace API key, or the dashboard's session cookie. */
export const workspaceSecurity: Record<string, string[]>[] = [{ apiKey: [] }, { session: [] }];
/** Routes for people only: the session cookie. */
export const sessionSecurity: Record<string, string[]>[] = [{ session: [] }];
export const adminSecurity: Record<string, string[]>[] = [{ adminToken: [] }];
/** The widget API after `/sessions`: a visitor session's bearer token. */
export const visitorSecurity: Record<string, string[]>[] = [{ visitorSession: [] }];
/** Every widget route behind a visitor session: a bad or expired session, a request from another page. */
export const VISITOR_ERRORS: ErrorCode[] = ['VISITOR_SESSION_INVALID', 'ORIGIN_NOT_ALLOWED'];
/** The widget API's bodies are small: a message of 4,000 characters and its fields fit in 16 KB. */
export const WIDGET_BODY_LIMIT_BYTES = 16 * 1024;

/**
 * A response documented under several media types (each with its schema), as Fastify and @fastify/swagger read
 * `content`. Fastify serializes a reply with the schema of its content type; a Server-Sent Events reply is
 * written to the raw response and never serialized.
 */
export function mediaResponse(description: string, content: Record<string, z.ZodType>) {
  return {
    description,
    content: Object.fromEntries(Object.entries(content).map(([type, schema]) => [type, { schema }])),
  };
}

/** An Idempotency-Key: 1 to 255 printable ASCII characters, not blank. */
export const idempotencyKeySchema = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[\x20-\x7e]{1,255}$/)
  .regex(/\S/);

/** Request headers a route reads and checks itself, in the contract's order (documented, not validated by Fastify). */
export const idempotencyKeyHeaders = z.object({
  'Idempotency-Key': idempotencyKeySchema.optional().meta({
    description:
      'Makes a retry safe: 1 to 255 printable ASCII characters, not blank (a UUID, say). A repeat with the ' +
      'same body within 24 hours answers the first result; another body is 422 IDEMPOTENCY_KEY_REUSED.',
    examples: ['5f0c2a9e-8d7b-4c1a-9e3f-2b6d8a4c7e10'],
  }),
});

export const lastEventIdHeaders = z.object({
  'Last-Event-ID': replyEventIdSchema.optional().meta({
    description: 'The id of the last event received; the stream resumes after it',
    examples: ['24'],
  }),
});

/** The response headers of the API, for the OpenAPI document. */
export const RESPONSE_HEADERS = {
  'X-Request-Id': {
    type: 'string',
    description: 'The request’s id, as the server’s log lines show it: a well-formed incoming one, echoed',
  },
  'Retry-After': { type: 'integer', minimum: 1, description: 'Seconds until a retry can succeed' },
  'X-RateLimit-Limit': {
    type: 'integer',
    minimum: 1,
    description: 'Requests the chatbot allows per window (sent once the chatbot is known)',
  },
  'X-RateLimit-Remaining': {
    type: 'integer',
    minimum: 0,
    description: 'Requests left in the current window (sent once the chatbot is known)',
  },
  'X-RateLimit-Reset': {
    type: 'integer',
    description: 'When the current window ends, in Unix seconds (sent once the chatbot is known)',
  },
  'X-Credits-Remaining': {
    type: 'integer',
    minimum: 0,
    description:
      'The workspace’s credit balance as the response leaves (a stream: with its reply’s price held)',
  },
  'Idempotent-Replayed': {
    type: 'string',
    enum: ['true'],
    description:
      'Sent when the response repeats the result of an earlier request with the same Idempotency-Key',
  },
} as const;
export type ResponseHeaderName = keyof typeof RESPONSE_HEADERS;

/** Which response headers a route's responses carry, by status; `default` for any status not listed. */
export type ResponseHeaders = Partial<Record<number | 'default', ResponseHeaderName[]>>;

const RATE_LIMIT_HEADERS: ResponseHeaderName[] = [
  'X-RateLimit-Limit',
  'X-RateLimit-Remaining',
  'X-RateLimit-Reset',
];

/** The chat route's: rate-limit headers once the chatbot is known, the balance once the key is accepted. */
export const CHAT_RESPONSE_HEADERS: ResponseHeaders = {
  default: [...RATE_LIMIT_HEADERS, 'X-Credits-Remaining'],
  200: [...RATE_LIMIT_HEADERS, 'X-Credits-Remaining', 'Idempotent-Replayed'],
  401: [],
};

// Path parameters that several routes share.

/** `/chatbots/{id}`. */
export const chatbotParamsSchema = z.object({ id: pathIdSchema });
/** `/chatbots/{id}/conversations/{conversationId}`. */
export const conversationParamsSchema = chatbotParamsSchema.extend({ conversationId: pathIdSchema });
/** `/chatbots/{id}/knowledge/{sourceId}`. */
export const knowledgeSourceParamsSchema = chatbotParamsSchema.extend({ sourceId: pathIdSchema });

/** `/chatbots/{id}/publishable-keys/{keyId}`. */
export const publishableKeyParamsSchema = chatbotParamsSchema.extend({ keyId: pathIdSchema });

/** A message of a chatbot's conversation: the path of the message routes (read, stream, cancel). */
export const messageParamsSchema = conversationParamsSchema.extend({ messageId: pathIdSchema });
export type MessageParams = z.infer<typeof messageParamsSchema>;

/** `?after=`: where a reconnecting client stands, for clients that cannot send Last-Event-ID. */
export const resumeQuerySchema = z.object({
  after: z
    .string()
    .max(32)
    .optional()
    // Checked by readResumePosition (after Last-Event-ID), documented here.
    .meta({
      description: 'The id of the last event received, for clients that cannot send Last-Event-ID',
      pattern: replyEventIdSchema.toJSONSchema().pattern,
    }),
});
