import { idSchema } from '@pollybot/contracts';
import type { FastifyRequest } from 'fastify';
import type { Services } from '../../services.ts';
import type { App } from '../app-types.ts';
import { readChatCaller } from '../chat-request.ts';
import { setRateLimitHeaders } from '../enforce-rate-limit.ts';
import { CONVERSATION_HEADER, relayCompletionChunks } from '../openai/chunk-writer.ts';
import { toCompletionTurn } from '../openai/completion-request.ts';
import { toCompletion } from '../openai/completion-response.ts';
import { modelNotFound, unsupported } from '../openai/openai-error.ts';
import { openAiCompletionsCreateSchema } from '../openai/openai-route-schemas.ts';
import { abortOnClose } from '../sse.ts';

/** X-PollyBot-Conversation-Id: the stored conversation to continue; undefined without one. */
function readConversationId(request: FastifyRequest): string | undefined {
  const value = request.headers[CONVERSATION_HEADER];
  if (value === undefined) return undefined;
  if (typeof value === 'string' && idSchema.safeParse(value).success) return value;
  throw unsupported(
    'X-PollyBot-Conversation-Id',
    'invalid_value',
    'X-PollyBot-Conversation-Id must be a conversation id (1 to 64 characters).',
  );
}

/**
 * POST /api/openai/v1/chat/completions: OpenAI's Chat Completions as a door to the chat pipeline (the same turn
 * as the native route, with a workspace key's caller), answered as a chat.completion or its chunks.
 */
export function registerOpenAiChatCompletionsCreate(app: App, services: Services): void {
  const { chat } = services;
  app.post(
    '/chat/completions',
    {
      schema: openAiCompletionsCreateSchema,
      // X-Credits-Remaining on every answer once the key is accepted, as on the native route.
      onSend: async (request, reply, payload) => {
        if (!request.workspaceId || reply.hasHeader('x-credits-remaining')) return payload;
        const balance = await chat.findCreditsRemaining(readChatCaller(request));
        if (balance !== undefined) reply.header('x-credits-remaining', balance);
        return payload;
      },
    },
    async (request, reply) => {
      const turn = toCompletionTurn(request.body);
      const conversationId = readConversationId(request);
      const admitted = await chat.admit(readChatCaller(request), request.body.model);
      if (admitted.rateLimit) setRateLimitHeaders(reply, admitted.rateLimit);
      if (admitted.kind === 'refused')
        throw admitted.error.code === 'CHATBOT_NOT_FOUND'
          ? modelNotFound(request.body.model)
          : admitted.error;
      const { chatbot } = admitted.admission;
      const outcome = await chat.send(
        admitted.admission,
        {
          message: turn.message,
          conversationId,
          stream: turn.stream,
          metadata: turn.metadata,
          prompt: turn.prompt,
        },
        { signal: abortOnClose(reply), log: request.log },
      );
      if (outcome.kind === 'client-gone') return reply;
      if (outcome.creditsRemaining !== undefined)
        reply.header('x-credits-remaining', outcome.creditsRemaining);
      if (outcome.kind === 'failed') {
        const failedIn = outcome.error.extra.conversationId;
        if (typeof failedIn === 'string') reply.header(CONVERSATION_HEADER, failedIn);
        throw outcome.error;
      }
      const context = {
        created: Math.floor(services.clock.now().getTime() / 1000),
        model: request.body.model,
        maxTokens: Math.min(turn.prompt.maxTokens ?? chatbot.max_tokens, chatbot.max_tokens),
      };
      if (outcome.kind === 'reply') {
        reply.header(CONVERSATION_HEADER, outcome.reply.conversationId);
        return toCompletion(outcome.reply, { ...context, id: outcome.reply.messageId });
      }
      return relayCompletionChunks(reply, outcome.stream, {
        context: { ...context, id: outcome.stream.messageId },
        includeUsage: turn.includeUsage,
        heartbeatMs: services.config.sseHeartbeatMs,
        log: request.log,
      });
    },
  );
}
