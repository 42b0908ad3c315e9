import type { ChatReply, ChatRequest } from '@pollybot/contracts';
import type { ChatbotRow } from '../../db/database.ts';
import { readCreditBalance } from '../../db/workspaces.repository.ts';
import { AppError, appErrorFromEnvelope } from '../../errors/app-error.ts';
import { consumeRateLimit } from '../rate-limits/consume-rate-limit.ts';
import type { RateLimitDecision, RateLimiter } from '../rate-limits/rate-limiter.ts';
import { type ChatCaller, conversationOwnerOf, visitorMetadataOf, workspaceOf } from './chat-caller.ts';
import { awaitReplyEnd, followReply, type ReplayTarget } from './follow-reply.ts';
import type { Generations } from './generations.ts';
import {
  claimIdempotencyKey,
  fingerprintRequest,
  recordIdempotentReply,
  releaseIdempotencyKey,
} from './idempotency.ts';
import { createMessageLookup } from './message-lookup.ts';
import { BEFORE_START } from './reply-events.ts';
import { type ReplyStream, streamLiveTurn } from './reply-stream.ts';
import { startChatTurn, type TurnDeps } from './send-message.ts';

type ChatDeps = TurnDeps & {
  /** A chatbot of the workspace for the chat path (cached: every turn reads it). */
  findChatbot: (workspaceId: string, chatbotId: string) => Promise<ChatbotRow | undefined>;
  limiter: Pick<RateLimiter, 'consume'>;
  /** The replies this instance generates, each stoppable by a cancel from any instance. */
  generations: Generations;
};

/** A caller let through to a chatbot by `admit`: what `send` needs. */
export type ChatAdmission = { caller: ChatCaller; chatbot: ChatbotRow };

/** Checks 2-4 of the contract; the rate-limit figures are there whenever the request was counted. */
type AdmitOutcome =
  | { kind: 'admitted'; admission: ChatAdmission; rateLimit: RateLimitDecision }
  | { kind: 'refused'; error: AppError; rateLimit?: RateLimitDecision | undefined };

/**
 * How a turn is answered. `replayed`: a repeat of an Idempotency-Key, answered with its first request's
 * reply. `creditsRemaining`: the balance to report, when the turn knows it (else read it as the answer
 * leaves, with `findCreditsRemaining`).
 */
type ChatOutcome =
  | { kind: 'reply'; reply: ChatReply; replayed: boolean; creditsRemaining: number | undefined }
  | { kind: 'failed'; error: AppError; replayed: boolean; creditsRemaining: number | undefined }
  | { kind: 'stream'; stream: ReplyStream; replayed: boolean; creditsRemaining: number | undefined }
  /** A repeat's client left while it waited for the first request's reply: there is no one to answer. */
  | { kind: 'client-gone' };

/** Where the pipeline reports what it cannot answer with (the door's request logger fits). */
type ChatLog = { warn: (details: object, message: string) => void };

type SendOptions = {
  /** The request's Idempotency-Key, already checked for its form. */
  idempotencyKey?: string | undefined;
  /** Aborts when the client leaves: it stops a repeat's wait, never a generation. */
  signal: AbortSignal;
  log: ChatLog;
};

/** The chat pipeline: one entry point for every door (native API, dashboard, widget, OpenAI-compatible). */
export type Chat = ReturnType<typeof createChat>;

export function createChat(deps: ChatDeps) {
  const { db } = deps.database;
  const follow = { db, journal: deps.journal };

  const findCreditsRemaining = (caller: ChatCaller): Promise<number | undefined> =>
    readCreditBalance(db, workspaceOf(caller)).catch(() => undefined);

  /**
   * Checks 2-4 of the contract: the chatbot (within the caller's workspace only), its status, its rate limit.
   * They read nothing of the body, so a door runs them before it parses and validates one.
   */
  async function admit(caller: ChatCaller, chatbotId: string): Promise<AdmitOutcome> {
    try {
      // A visitor reaches the one chatbot their session is for; any other is as if it did not exist.
      const isOtherChatbot = caller.kind === 'visitor' && caller.chatbotId !== chatbotId;
      const chatbot = isOtherChatbot ? undefined : await deps.findChatbot(workspaceOf(caller), chatbotId);
      if (!chatbot) return { kind: 'refused', error: new AppError('CHATBOT_NOT_FOUND') };
      if (chatbot.status !== 'active') return { kind: 'refused', error: new AppError('CHATBOT_INACTIVE') };
      const { decision, refusal } = await consumeRateLimit(deps, `chatbot:${chatbot.id}`, {
        requests: chatbot.rate_limit_requests,
        windowSeconds: chatbot.rate_limit_window_seconds,
      });
      if (refusal) return { kind: 'refused', error: refusal, rateLimit: decision };
      return { kind: 'admitted', admission: { caller, chatbot }, rateLimit: decision };
    } catch (error) {
      if (error instanceof AppError) return { kind: 'refused', error };
      throw error;
    }
  }

  /**
   * A repeat answered with the first request's reply, generated once: as JSON when it has ended (waiting for
   * it if need be), or as a stream replayed from its start, then live.
   */
  async function replay(
    admission: ChatAdmission,
    target: ReplayTarget,
    wantsStream: boolean,
    signal: AbortSignal,
  ): Promise<ChatOutcome> {
    if (wantsStream) {
      const events = followReply(follow, target, BEFORE_START, signal);
      const creditsRemaining = await findCreditsRemaining(admission.caller);
      return {
        kind: 'stream',
        stream: { kind: 'replay', messageId: target.messageId, events },
        replayed: true,
        creditsRemaining,
      };
    }
    const terminal = await awaitReplyEnd(follow, target, signal);
    if (!terminal) {
      if (signal.aborted) return { kind: 'client-gone' };
      const error = new AppError('CONVERSATION_NOT_FOUND', {
        message: 'The reply this Idempotency-Key stands for was deleted with its conversation',
      });
      return { kind: 'failed', error, replayed: true, creditsRemaining: undefined };
    }
    if (terminal.event === 'done') {
      return { kind: 'reply', reply: terminal.data.data, replayed: true, creditsRemaining: undefined };
    }
    return {
      kind: 'failed',
      error: appErrorFromEnvelope(terminal.data),
      replayed: true,
      creditsRemaining: undefined,
    };
  }

  /**
   * Checks 5-7 and the turn: the Idempotency-Key, the conversation and the credits (refusals throw their
   * AppError; nothing is stored or charged then), then knowledge, generation, journal and settle.
   */
  async function send(
    admission: ChatAdmission,
    body: ChatRequest,
    options: SendOptions,
  ): Promise<ChatOutcome> {
    const { chatbot, caller } = admission;
    const wantsStream = body.stream ?? chatbot.streaming === 1;
    // A visitor has no Idempotency-Key: their door never passes one.
    const idempotency =
      options.idempotencyKey === undefined || caller.kind === 'visitor'
        ? undefined
        : await claimIdempotencyKey(
            { db, clock: deps.clock, ids: deps.ids },
            {
              workspaceId: workspaceOf(caller),
              key: options.idempotencyKey,
              fingerprint: fingerprintRequest({ chatbotId: chatbot.id, body }),
            },
          );
    if (idempotency?.kind === 'replay') {
      return replay(admission, { chatbotId: chatbot.id, ...idempotency }, wantsStream, options.signal);
    }
    const claim = idempotency?.claim;
    const turn = await startChatTurn(deps, {
      chatbot,
      message: body.message,
      conversationId: body.conversationId,
      metadata: caller.kind === 'visitor' ? visitorMetadataOf(caller) : body.metadata,
      owner: conversationOwnerOf(caller),
    }).catch(async (error: unknown) => {
      // Refused before any reply existed (404, 402): nothing to replay, so a retry with the key runs anew.
      if (claim) await releaseIdempotencyKey(db, claim).catch(() => {});
      throw error;
    });
    if (claim) {
      // Should this fail, a repeat takes the key over once its holder looks abandoned, and runs anew.
      await recordIdempotentReply(db, claim, turn).catch((error: unknown) =>
        options.log.warn({ err: { message: String(error) } }, 'could not record the Idempotency-Key reply'),
      );
    }
    // The generation belongs to the message, not to this connection: only a cancel stops it.
    const generation = deps.generations.track(turn.messageId);
    if (wantsStream) {
      const stream = streamLiveTurn(turn, generation.signal, generation.done);
      const creditsRemaining = turn.creditsHeld ?? (await findCreditsRemaining(caller));
      return { kind: 'stream', stream, replayed: false, creditsRemaining };
    }
    try {
      const result = await turn.run({ signal: generation.signal });
      if (result.kind === 'failed') {
        return {
          kind: 'failed',
          error: result.error,
          replayed: false,
          creditsRemaining: result.creditsRemaining,
        };
      }
      return {
        kind: 'reply',
        reply: result.reply,
        replayed: false,
        creditsRemaining: result.creditsRemaining,
      };
    } finally {
      generation.done();
    }
  }

  return {
    admit,
    send,
    findCreditsRemaining,
    ...createMessageLookup({ db, journal: deps.journal, generations: deps.generations }),
  };
}
