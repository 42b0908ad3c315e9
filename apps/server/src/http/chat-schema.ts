import {
  chatReplySchema,
  chatRequestSchema,
  chatStreamEventSchema,
  pathIdSchema,
  successEnvelope,
} from '@pollybot/contracts';
import { z } from 'zod';
import {
  CHANGE_ERRORS,
  CHAT_RESPONSE_HEADERS,
  errorResponses,
  idempotencyKeyHeaders,
  mediaResponse,
  workspaceSecurity,
} from './route-schemas.ts';

export const chatParamsSchema = z.object({ chatbotId: pathIdSchema });

/** The chat route's schema: what Fastify validates and the OpenAPI document shows. */
export const chatCreateSchema = {
  summary: 'Send a message to a chatbot',
  description:
    'Answers with one JSON reply, or with Server-Sent Events (start, delta..., then done or error) when ' +
    '`stream` is true (or absent and the chatbot streams by default). Every response after the chatbot is ' +
    'known carries X-RateLimit-Limit, X-RateLimit-Remaining and X-RateLimit-Reset, and every response once the ' +
    'key is accepted carries X-Credits-Remaining (the balance as it leaves: after this reply’s charge; for a ' +
    'stream, with the reply’s price already held). Every event has an id (its place in the reply): resume a ' +
    'stream with GET .../messages/{messageId}/stream and Last-Event-ID. With an Idempotency-Key header (1 to 255 ' +
    'printable ASCII characters) a repeat with the same body within 24 hours answers the first result ' +
    '(Idempotent-Replayed: true) without a second generation or charge; another body is 422 ' +
    'IDEMPOTENCY_KEY_REUSED.',
  tags: ['chat'],
  security: workspaceSecurity,
  params: chatParamsSchema,
  body: chatRequestSchema,
  documentedHeaders: idempotencyKeyHeaders,
  responseHeaders: CHAT_RESPONSE_HEADERS,
  response: {
    200: mediaResponse('The reply as JSON, or a text/event-stream of start, delta..., then done or error', {
      'application/json': successEnvelope(chatReplySchema),
      'text/event-stream': chatStreamEventSchema,
    }),
    ...errorResponses([
      ...CHANGE_ERRORS,
      'CHATBOT_NOT_FOUND',
      'CHATBOT_INACTIVE',
      'RATE_LIMIT_EXCEEDED',
      'CONVERSATION_NOT_FOUND',
      'INSUFFICIENT_CREDITS',
      'IDEMPOTENCY_KEY_REUSED',
      'AI_PROVIDER_ERROR',
      'AI_PROVIDER_TIMEOUT',
    ]),
  },
};
