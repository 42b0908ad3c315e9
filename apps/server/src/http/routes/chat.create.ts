import {
  chatReplySchema,
  chatRequestSchema,
  chatStreamEventSchema,
  pathIdSchema,
  successEnvelope,
} from '@pollybot/contracts';
import { z } from 'zod';
import type { ChatAdmission } from '../../features/chat/chat.ts';
import type { Services } from '../../services.ts';
import type { App } from '../app-types.ts';
import { readChatCaller, readIdempotencyKey } from '../chat-request.ts';
import { setRateLimitHeaders } from '../enforce-rate-limit.ts';
import {
  CHANGE_ERRORS,
  CHAT_RESPONSE_HEADERS,
  errorResponses,
  idempotencyKeyHeaders,
  mediaResponse,
  workspaceSecurity,
} from '../route-schemas.ts';
import { abortOnClose, relayReplyStream } from '../sse.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The chat pipeline's admission of this request's caller to its chatbot (checks 2-4). */
    chatAdmission: ChatAdmission;
  }
}

const paramsSchema = z.object({ chatbotId: pathIdSchema });

/** The native door to the chat pipeline: a workspace API key, or the dashboard's session (its playground). */
export function registerChatCreate(app: App, services: Services): void {
  const { chat } = services;
  app.post(
    '/api/v1/chatbots/:chatbotId/chat',
    {
      // Checks 2-4 read only the URL and headers, so they run before the body is parsed and validated (check 5).
      onRequest: async (request, reply) => {
        // Hooks see the raw path parameters; the schema's reading makes an id that cannot exist a plain 404.
        const { chatbotId } = paramsSchema.parse(request.params);
        const admitted = await chat.admit(readChatCaller(request), chatbotId);
        if (admitted.rateLimit) setRateLimitHeaders(reply, admitted.rateLimit);
        if (admitted.kind === 'refused') throw admitted.error;
        request.chatAdmission = admitted.admission;
      },
      // X-Credits-Remaining on every response once the workspace is known, errors included, unless the turn
      // reported its own balance (a stream sets it as it opens).
      onSend: async (request, reply, payload) => {
        if (!request.workspaceId || reply.hasHeader('x-credits-remaining')) return payload;
        const balance = await chat.findCreditsRemaining(readChatCaller(request));
        if (balance !== undefined) reply.header('x-credits-remaining', balance);
        return payload;
      },
      schema: {
        summary: 'Send a message to a chatbot',
        description: CHAT_DESCRIPTION,
        tags: ['chat'],
        security: workspaceSecurity,
        params: paramsSchema,
        body: chatRequestSchema,
        documentedHeaders: idempotencyKeyHeaders,
        responseHeaders: CHAT_RESPONSE_HEADERS,
        response: {
          200: mediaResponse(
            'The reply as JSON, or a text/event-stream of start, delta..., then done or error',
            {
              'application/json': successEnvelope(chatReplySchema),
              'text/event-stream': chatStreamEventSchema,
            },
          ),
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
      },
    },
    async (request, reply) => {
      const outcome = await chat.send(request.chatAdmission, request.body, {
        idempotencyKey: readIdempotencyKey(request),
        signal: abortOnClose(reply),
        log: request.log,
      });
      if (outcome.kind === 'client-gone') return reply;
      if (outcome.replayed) reply.header('idempotent-replayed', 'true');
      if (outcome.creditsRemaining !== undefined)
        reply.header('x-credits-remaining', outcome.creditsRemaining);
      if (outcome.kind === 'failed') throw outcome.error;
      if (outcome.kind === 'reply') return { success: true as const, data: outcome.reply };
      return relayReplyStream(reply, outcome.stream, {
        heartbeatMs: services.config.sseHeartbeatMs,
        log: request.log,
      });
    },
  );
}

const CHAT_DESCRIPTION =
  'Answers with one JSON reply, or with Server-Sent Events (start, delta..., then done or error) when ' +
  '`stream` is true (or absent and the chatbot streams by default). Every response after the chatbot is ' +
  'known carries X-RateLimit-Limit, X-RateLimit-Remaining and X-RateLimit-Reset, and every response once the ' +
  'key is accepted carries X-Credits-Remaining (the balance as it leaves: after this reply’s charge; for a ' +
  'stream, with the reply’s price already held). Every event has an id (its place in the reply): resume a ' +
  'stream with GET .../messages/{messageId}/stream and Last-Event-ID. With an Idempotency-Key header (1 to 255 ' +
  'printable ASCII characters) a repeat with the same body within 24 hours answers the first result ' +
  '(Idempotent-Replayed: true) without a second generation or charge; another body is 422 ' +
  'IDEMPOTENCY_KEY_REUSED.';
