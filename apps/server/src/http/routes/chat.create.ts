import type { ChatAdmission } from '../../features/chat/chat.ts';
import type { Services } from '../../services.ts';
import type { App } from '../app-types.ts';
import { readChatCaller, readIdempotencyKey } from '../chat-request.ts';
import { chatCreateSchema, chatParamsSchema } from '../chat-schema.ts';
import { setRateLimitHeaders } from '../enforce-rate-limit.ts';
import { abortOnClose, relayReplyStream } from '../sse.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The chat pipeline's admission of this request's caller to its chatbot (checks 2-4). */
    chatAdmission: ChatAdmission;
  }
}

/** The native door to the chat pipeline: a workspace API key, or the dashboard's session (its playground). */
export function registerChatCreate(app: App, services: Services): void {
  const { chat } = services;
  app.post(
    '/api/v1/chatbots/:chatbotId/chat',
    {
      // Checks 2-4 read only the URL and headers, so they run before the body is parsed and validated (check 5).
      onRequest: async (request, reply) => {
        // Hooks see the raw path parameters; the schema's reading makes an id that cannot exist a plain 404.
        const { chatbotId } = chatParamsSchema.parse(request.params);
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
      schema: chatCreateSchema,
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
