import {
  chatReplySchema,
  chatRequestSchema,
  errorEnvelopeSchema,
  idSchema,
  successEnvelope,
} from '@pollybot/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ChatbotRow } from '../../db/database.ts';
import { readCreditBalance } from '../../db/workspaces.repository.ts';
import { AppError } from '../../errors/app-error.ts';
import { startChatTurn } from '../../features/chat/send-message.ts';
import { loadChatbot } from '../../features/chatbots/load-chatbot.ts';
import type { Services } from '../../services.ts';
import type { App } from '../app-types.ts';
import { toAppError } from '../plugins/error-handler.ts';
import { CHANGE_ERRORS, errorResponses, workspaceSecurity } from '../route-schemas.ts';
import { SseStream } from '../sse.ts';

declare module 'fastify' {
  interface FastifyRequest {
    chatbot: ChatbotRow;
  }
}

const paramsSchema = z.object({ chatbotId: idSchema });

/**
 * Checks 2-4 of the contract (chatbot, status, rate limit) read only the URL and headers, so they run
 * before the body is parsed and validated (check 5).
 */
function createChatGate(services: Services) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const { chatbotId } = request.params as { chatbotId: string };
    const chatbot = await loadChatbot(services, request.workspaceId, chatbotId);
    if (!chatbot) throw new AppError('CHATBOT_NOT_FOUND');
    if (chatbot.status !== 'active') throw new AppError('CHATBOT_INACTIVE');
    const decision = await services.limiter
      .consume(`chatbot:${chatbot.id}`, {
        requests: chatbot.rate_limit_requests,
        windowSeconds: chatbot.rate_limit_window_seconds,
      })
      .catch((error: unknown) => {
        // Without the shared counter no instance can tell whether the request is within the limit.
        throw new AppError('SERVICE_UNAVAILABLE', {
          message:
            'Rate limiting is unavailable right now (its shared store cannot be reached); retry shortly',
          cause: error,
        });
      });
    reply.header('x-ratelimit-limit', decision.limit);
    reply.header('x-ratelimit-remaining', decision.remaining);
    reply.header('x-ratelimit-reset', Math.ceil(decision.resetAt.getTime() / 1000));
    if (!decision.allowed) {
      const retryAfter = Math.max(
        1,
        Math.ceil((decision.resetAt.getTime() - services.clock.now().getTime()) / 1000),
      );
      reply.header('retry-after', retryAfter);
      throw new AppError('RATE_LIMIT_EXCEEDED', { extra: { retryAfter } });
    }
    request.chatbot = chatbot;
  };
}

/**
 * X-Credits-Remaining: the balance the turn's own reservation reported (after its charge or refund), or, when
 * there is none (a refusal before the reservation, a free reply), the balance read as the response leaves.
 */
async function setCreditsRemaining(
  services: Services,
  request: FastifyRequest,
  reply: FastifyReply,
  known?: number | undefined,
) {
  if (!request.workspaceId || reply.hasHeader('x-credits-remaining')) return;
  const balance = known ?? (await readCreditBalance(services.db, request.workspaceId).catch(() => undefined));
  if (balance !== undefined) reply.header('x-credits-remaining', balance);
}

export function registerChatCreate(app: App, services: Services): void {
  app.post(
    '/api/v1/chatbots/:chatbotId/chat',
    {
      onRequest: createChatGate(services),
      // Every response once the workspace is known, errors included (a stream sets it as it opens).
      onSend: async (request, reply, payload) => {
        await setCreditsRemaining(services, request, reply);
        return payload;
      },
      schema: {
        summary: 'Send a message to a chatbot',
        description:
          'Answers with one JSON reply, or with Server-Sent Events (start, delta..., then done or error) when ' +
          '`stream` is true (or absent and the chatbot streams by default). Every response after the chatbot is ' +
          'known carries X-RateLimit-Limit, X-RateLimit-Remaining and X-RateLimit-Reset, and every response once the ' +
          'key is accepted carries X-Credits-Remaining (the balance as it leaves: after this reply’s charge; for a ' +
          'stream, with the reply’s price already held).',
        tags: ['chat'],
        security: workspaceSecurity,
        params: paramsSchema,
        body: chatRequestSchema,
        response: {
          200: successEnvelope(chatReplySchema).describe(
            'The reply as JSON, or a text/event-stream of start, delta, done/error events',
          ),
          ...errorResponses([
            ...CHANGE_ERRORS,
            'CHATBOT_NOT_FOUND',
            'CHATBOT_INACTIVE',
            'RATE_LIMIT_EXCEEDED',
            'CONVERSATION_NOT_FOUND',
            'INSUFFICIENT_CREDITS',
            'AI_PROVIDER_ERROR',
            'AI_PROVIDER_TIMEOUT',
          ]),
        },
      },
    },
    async (request, reply) => {
      const { chatbot } = request;
      const turn = await startChatTurn(
        {
          db: services.db,
          knowledge: services.knowledgeSearch,
          clock: services.clock,
          ids: services.ids,
          credits: services.credits,
          models: services.models,
          historyMessages: services.config.historyMessages,
          modelPrices: services.config.modelPrices,
        },
        {
          chatbot,
          message: request.body.message,
          conversationId: request.body.conversationId,
          metadata: request.body.metadata,
        },
      );
      const wantsStream = request.body.stream ?? chatbot.streaming === 1;
      // The generation belongs to the message, not to this connection: a client that leaves does not stop
      // it (it is stored and charged as usual); only a cancel does.
      const generation = services.generations.track(turn.messageId);
      try {
        if (!wantsStream) {
          const result = await turn.run({ signal: generation.signal });
          await setCreditsRemaining(services, request, reply, result.creditsRemaining);
          if (result.kind === 'failed') throw result.error;
          return { success: true as const, data: result.reply };
        }
        await setCreditsRemaining(services, request, reply, turn.creditsHeld);
        return await streamTurn(services, request, reply, turn, generation.signal);
      } finally {
        generation.done();
      }
    },
  );
}

/**
 * Relays a turn as Server-Sent Events. Headers go out with the first token, so a provider that fails
 * before answering still gets its proper status (502/504) as a JSON response.
 */
async function streamTurn(
  services: Services,
  request: FastifyRequest,
  reply: FastifyReply,
  turn: Awaited<ReturnType<typeof startChatTurn>>,
  signal: AbortSignal,
): Promise<FastifyReply> {
  const stream = new SseStream(reply, services.config.sseHeartbeatMs);
  let clientGone = false;
  const onClose = () => {
    if (!reply.raw.writableFinished) clientGone = true;
  };
  reply.raw.on('close', onClose);
  const openOnce = () => {
    if (reply.sent || clientGone) return;
    stream.open();
    stream.send('start', { conversationId: turn.conversationId, messageId: turn.messageId });
  };

  let result: Awaited<ReturnType<typeof turn.run>>;
  try {
    result = await turn.run({
      signal,
      onDelta: (content) => {
        openOnce();
        stream.send('delta', { content });
      },
    });
  } catch (error) {
    // The reply could not be stored (the database went away). Before `start` the error handler answers;
    // after it, end the stream with one error event, or its heartbeat would keep it open forever.
    if (!reply.sent) throw error;
    request.log.error({ err: error }, 'unexpected error');
    stream.finish('error', errorEnvelopeSchema.parse(toAppError(error as Error).toEnvelope()));
    return reply;
  } finally {
    reply.raw.off('close', onClose);
  }

  if (result.kind === 'failed' && !reply.sent) throw result.error;
  if (clientGone) {
    request.log.info(
      { messageId: turn.messageId, outcome: result.kind },
      'client left mid-stream; the reply was generated and stored all the same',
    );
    // Left before the first token: nothing was sent, so take over the reply to end it quietly.
    if (!reply.sent) reply.hijack();
    stream.close();
    return reply;
  }
  openOnce();
  if (result.kind === 'failed') {
    stream.finish('error', errorEnvelopeSchema.parse(result.error.toEnvelope()));
  } else {
    stream.finish('done', { success: true, data: result.reply });
  }
  request.log.info({ statusCode: 200, messageId: turn.messageId, outcome: result.kind }, 'stream completed');
  return reply;
}
