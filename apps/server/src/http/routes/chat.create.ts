import {
  chatReplySchema,
  chatRequestSchema,
  chatStreamEventSchema,
  pathIdSchema,
  successEnvelope,
} from '@pollybot/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ChatbotRow } from '../../db/database.ts';
import { readCreditBalance } from '../../db/workspaces.repository.ts';
import { AppError } from '../../errors/app-error.ts';
import { errorCatalog } from '../../errors/catalog.ts';
import { validationError } from '../../errors/validation-error.ts';
import {
  claimIdempotencyKey,
  fingerprintRequest,
  type IdempotencyDecision,
  recordIdempotentReply,
  releaseIdempotencyKey,
} from '../../features/chat/idempotency.ts';
import { BEFORE_START, isTerminal } from '../../features/chat/reply-events.ts';
import { type ChatTurn, startChatTurn } from '../../features/chat/send-message.ts';
import { loadChatbot } from '../../features/chatbots/load-chatbot.ts';
import type { Services } from '../../services.ts';
import type { App } from '../app-types.ts';
import { enforceRateLimit } from '../enforce-rate-limit.ts';
import { toAppError } from '../plugins/error-handler.ts';
import { awaitReplyEnd, streamReplay } from '../reply-replay.ts';
import {
  CHANGE_ERRORS,
  CHAT_RESPONSE_HEADERS,
  errorResponses,
  idempotencyKeyHeaders,
  idempotencyKeySchema,
  mediaResponse,
  workspaceSecurity,
} from '../route-schemas.ts';
import { SseStream } from '../sse.ts';

declare module 'fastify' {
  interface FastifyRequest {
    chatbot: ChatbotRow;
  }
}

const paramsSchema = z.object({ chatbotId: pathIdSchema });

/**
 * Checks 2-4 of the contract (chatbot, status, rate limit) read only the URL and headers, so they run
 * before the body is parsed and validated (check 5).
 */
function createChatGate(services: Services) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    // Hooks see the raw path parameters; the schema's reading makes an id that cannot exist a plain 404.
    const { chatbotId } = paramsSchema.parse(request.params);
    const chatbot = await loadChatbot(services, request.workspaceId, chatbotId);
    if (!chatbot) throw new AppError('CHATBOT_NOT_FOUND');
    if (chatbot.status !== 'active') throw new AppError('CHATBOT_INACTIVE');
    await enforceRateLimit(services, reply, `chatbot:${chatbot.id}`, {
      requests: chatbot.rate_limit_requests,
      windowSeconds: chatbot.rate_limit_window_seconds,
    });
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

/** Printable ASCII, as Stripe takes it: a UUID or any identifier of the client's own. */
/** The request's Idempotency-Key; undefined without one; VALIDATION_ERROR for a malformed one. */
function readIdempotencyKey(request: FastifyRequest): string | undefined {
  const value = request.headers['idempotency-key'];
  if (value === undefined) return undefined;
  if (typeof value === 'string' && idempotencyKeySchema.safeParse(value).success) return value;
  const message = 'must be 1 to 255 printable ASCII characters';
  throw validationError('headers.idempotency-key', message);
}

/**
 * With an Idempotency-Key: whether this request runs, or repeats one of the last 24 hours (same key, same
 * chatbot and body) and replays its reply. Undefined without a key.
 */
async function decideIdempotency(
  services: Services,
  request: FastifyRequest,
  body: unknown,
): Promise<IdempotencyDecision | undefined> {
  const key = readIdempotencyKey(request);
  if (key === undefined) return undefined;
  return claimIdempotencyKey(services, {
    workspaceId: request.workspaceId,
    key,
    fingerprint: fingerprintRequest({ chatbotId: request.chatbot.id, body }),
  });
}

/**
 * A repeat answered with the first request's reply, generated once: as JSON when it has ended (waiting for
 * it if need be), or as a stream replayed from its start, then live.
 */
async function replayChat(
  services: Services,
  request: FastifyRequest,
  reply: FastifyReply,
  target: { messageId: string; conversationId: string },
  wantsStream: boolean,
) {
  reply.header('idempotent-replayed', 'true');
  const replayTarget = { chatbotId: request.chatbot.id, ...target };
  if (wantsStream) {
    await setCreditsRemaining(services, request, reply);
    return streamReplay(services, reply, replayTarget, BEFORE_START);
  }
  const terminal = await awaitReplyEnd(services, reply, replayTarget);
  if (!terminal) {
    if (reply.raw.destroyed) return reply;
    throw new AppError('CONVERSATION_NOT_FOUND', {
      message: 'The reply this Idempotency-Key stands for was deleted with its conversation',
    });
  }
  if (terminal.event === 'done') return terminal.data;
  return reply.code(errorCatalog[terminal.data.code].status).send(terminal.data);
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
          'stream, with the reply’s price already held). Every event has an id (its place in the reply): resume a ' +
          'stream with GET .../messages/{messageId}/stream and Last-Event-ID. With an Idempotency-Key header (1 to 255 ' +
          'printable ASCII characters) a repeat with the same body within 24 hours answers the first result ' +
          '(Idempotent-Replayed: true) without a second generation or charge; another body is 422 ' +
          'IDEMPOTENCY_KEY_REUSED.',
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
      const { chatbot } = request;
      const wantsStream = request.body.stream ?? chatbot.streaming === 1;
      const idempotency = await decideIdempotency(services, request, request.body);
      if (idempotency?.kind === 'replay') {
        return replayChat(services, request, reply, idempotency, wantsStream);
      }
      const claim = idempotency?.claim;
      const turn = await startChatTurn(
        {
          database: services.database,
          knowledge: services.knowledgeSearch,
          clock: services.clock,
          ids: services.ids,
          reservationTtlMs: services.config.reservationTtlMs,
          replyLeaseMs: services.config.replyLeaseMs,
          models: services.models,
          historyMessages: services.config.historyMessages,
          modelPrices: services.config.modelPrices,
          journal: services.replyJournal,
        },
        {
          chatbot,
          message: request.body.message,
          conversationId: request.body.conversationId,
          metadata: request.body.metadata,
        },
      ).catch(async (error: unknown) => {
        // Refused before any reply existed (404, 402): nothing to replay, so a retry with the key runs anew.
        if (claim) await releaseIdempotencyKey(services.db, claim).catch(() => {});
        throw error;
      });
      if (claim) {
        // Should this fail, a repeat takes the key over once its holder looks abandoned, and runs anew.
        await recordIdempotentReply(services.db, claim, turn).catch((error: unknown) =>
          request.log.warn({ err: { message: String(error) } }, 'could not record the Idempotency-Key reply'),
        );
      }
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
  turn: ChatTurn,
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
    stream.send(turn.start);
  };

  let result: Awaited<ReturnType<typeof turn.run>>;
  try {
    result = await turn.run({
      signal,
      // The terminal event is sent below, once it is known whether the client is still there.
      onEvent: (event) => {
        if (isTerminal(event)) return;
        openOnce();
        stream.send(event);
      },
    });
  } catch (error) {
    // The reply could not be stored (the database went away). Before `start` the error handler answers;
    // after it, end the stream with one error event, or its heartbeat would keep it open forever.
    if (!reply.sent) throw error;
    request.log.error({ err: error }, 'unexpected error');
    stream.send(turn.fail(toAppError(error as Error).toEnvelope()));
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
  stream.send(result.terminal);
  request.log.info({ statusCode: 200, messageId: turn.messageId, outcome: result.kind }, 'stream completed');
  return reply;
}
