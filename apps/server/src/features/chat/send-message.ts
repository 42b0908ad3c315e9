import type { ChatReply } from '@pollybot/contracts';
import {
  closeTurn,
  openTurn,
  type ReplyFields,
  type TurnReservation,
} from '../../db/chat-turns.repository.ts';
import type { DatabaseHandle } from '../../db/connect.ts';
import { findConversation, findMessage, listRecentMessages } from '../../db/conversations.repository.ts';
import type { ChatbotRow } from '../../db/database.ts';
import { AppError, type ErrorEnvelope } from '../../errors/app-error.ts';
import type { Clock } from '../../lib/clock.ts';
import type { IdGenerator } from '../../lib/ids.ts';
import type { ModelGateway } from '../../models/model-gateway.ts';
import { priceOfModel } from '../credits/credit-service.ts';
import { findChatKnowledge } from '../knowledge/find-chat-knowledge.ts';
import { buildKnowledgeInstructions } from '../knowledge/knowledge-prompt.ts';
import type { KnowledgeSearchDeps } from '../knowledge/search-knowledge.ts';
import { createProgressWriter } from './progress-writer.ts';
import {
  BEFORE_START,
  createReplyEventSequence,
  type ReplyEvent,
  storedReplyEvents,
  type TerminalReplyEvent,
  toStoredFailure,
  toStoredReply,
} from './reply-events.ts';
import type { ReplyJournal } from './reply-journal.ts';
import { isLocalModel, toReplySources } from './reply-sources.ts';

/** What a turn takes: storage, knowledge, the model gateway, and the settings that shape a turn. */
export type TurnDeps = {
  /** The database: its queries, and the turn's two atomic writes. */
  database: DatabaseHandle;
  /** Where a turn looks up the chatbot's knowledge. */
  knowledge: KnowledgeSearchDeps;
  clock: Clock;
  ids: IdGenerator;
  /** How long a reply's credits stay held before the sweep gives them back (a crash's leftovers). */
  reservationTtlMs: number;
  /** How long a reply is held for this instance without a renewal (POLLYBOT_REPLY_LEASE_MS). */
  replyLeaseMs: number;
  models: ModelGateway;
  historyMessages: number;
  modelPrices: Record<string, number>;
  /** Where the reply's events are kept while it is generated, for clients that reconnect. */
  journal: ReplyJournal;
};

export type ChatTurnRequest = {
  chatbot: ChatbotRow;
  message: string;
  conversationId?: string | undefined;
  metadata?: Record<string, unknown> | undefined;
  /**
   * A widget visitor: the conversation must be theirs (else CONVERSATION_NOT_FOUND, as if it did not exist),
   * and a new one is stored as theirs, from the widget. Undefined for the API's callers.
   */
  owner?: { visitorId: string } | undefined;
  /** What a door may shape of the prompt (the OpenAI-compatible one): see `TurnPromptOptions`. */
  prompt?: TurnPromptOptions | undefined;
};

/**
 * A turn's prompt as its request shapes it, within the chatbot's limits: the earlier messages the model sees
 * (instead of the stored ones, for a turn without a conversation id), text appended to the chatbot's
 * instructions (never replacing them), a temperature of its own, and a token limit up to the chatbot's.
 */
export type TurnPromptOptions = {
  history?: { role: 'user' | 'assistant'; content: string }[] | undefined;
  appendedInstructions?: string | undefined;
  temperature?: number | undefined;
  maxTokens?: number | undefined;
};

/** How a turn ended: the reply (complete, or cut short by the client) or a provider failure. */
export type ChatTurnResult = (
  | { kind: 'complete' | 'incomplete'; reply: ChatReply }
  | { kind: 'failed'; error: AppError }
) & {
  /** The balance after this turn's own charge or refund; undefined for a free reply. */
  creditsRemaining: number | undefined;
  /** The stream's last event: `done` with the reply, or `error` with the failure. */
  terminal: TerminalReplyEvent;
};

/** A turn that passed every check and holds its credits; `run` generates, stores and settles it. */
export type ChatTurn = {
  conversationId: string;
  messageId: string;
  /** The balance with this turn's price held; undefined for a free reply. */
  creditsHeld: number | undefined;
  /** The stream's first event. */
  start: ReplyEvent;
  /** Ends the stream with a failure `run` could not report itself (it threw: the reply could not be stored). */
  fail: (envelope: ErrorEnvelope) => TerminalReplyEvent;
  /** Generates the reply; every event but `start` is also passed to `onEvent` as it happens. */
  run: (options: {
    signal?: AbortSignal | undefined;
    onEvent?: (event: ReplyEvent) => void;
  }) => Promise<ChatTurnResult>;
};

/**
 * Checks 6 and 7 of the contract (conversation, credits), then stores the user's message.
 * Throws CONVERSATION_NOT_FOUND or INSUFFICIENT_CREDITS; nothing is stored or charged then.
 */
export async function startChatTurn(deps: TurnDeps, request: ChatTurnRequest): Promise<ChatTurn> {
  const { clock, ids, chatbot } = { ...deps, chatbot: request.chatbot };
  const { db } = deps.database;
  if (request.conversationId) {
    const conversation = await findConversation(
      db,
      chatbot.id,
      request.conversationId,
      request.owner?.visitorId,
    );
    if (!conversation) throw new AppError('CONVERSATION_NOT_FOUND');
  }

  const price = priceOfModel(deps.modelPrices, chatbot.model);
  const conversationId = request.conversationId ?? ids();
  const history = request.conversationId
    ? await listRecentMessages(db, conversationId, deps.historyMessages)
    : (request.prompt?.history ?? []);
  const userMessageId = ids();
  const messageId = ids();
  const now = clock.now();
  const createdAt = now.toISOString();
  const shared = {
    conversation_id: conversationId,
    workspace_id: chatbot.workspace_id,
    metadata: request.metadata ? JSON.stringify(request.metadata) : null,
    user_id: readUserId(request.metadata),
    created_at: createdAt,
  };
  const reservation: TurnReservation | undefined =
    price === 0
      ? undefined
      : {
          id: ids(),
          ledgerId: ids(),
          amount: price,
          expiresAt: new Date(now.getTime() + deps.reservationTtlMs).toISOString(),
        };
  // One atomic write: the conversation, the user's message, the reply's row (`generating` from the start, so
  // it can be polled and cancelled) and the credits it holds. A short balance stores nothing.
  const opened = await openTurn(deps.database, {
    workspaceId: chatbot.workspace_id,
    chatbotId: chatbot.id,
    conversationId,
    isNewConversation: !request.conversationId,
    visitorId: request.owner?.visitorId,
    now: createdAt,
    messages: [
      {
        ...shared,
        id: userMessageId,
        role: 'user',
        content: request.message,
        status: 'complete',
        model: null,
      },
      {
        ...shared,
        id: messageId,
        role: 'assistant',
        content: '',
        status: 'generating',
        model: chatbot.model,
        // Held for this instance, which renews it while it generates (see progress-writer.ts).
        lease_expires_at: new Date(now.getTime() + deps.replyLeaseMs).toISOString(),
        reservation_id: reservation?.id ?? null,
      },
    ],
    reservation,
  });
  if (!opened.ok) throw new AppError('INSUFFICIENT_CREDITS', { extra: { required: price } });

  // The reply and its charge (or refund) are stored in one atomic write: a crash can never keep credits
  // without the reply they paid for, nor store a reply whose reservation stays held.
  const close = (reply: ReplyFields, outcome: 'settle' | 'release') =>
    closeTurn(deps.database, {
      messageId,
      reply,
      now: clock.now().toISOString(),
      reservation: reservation && { ...reservation, ledgerId: ids(), outcome },
    });

  const events = createReplyEventSequence(conversationId, messageId);
  const start = events.start();
  const journal = deps.journal.open(messageId);
  journal.append(start);
  const emit = (event: ReplyEvent, onEvent: ((event: ReplyEvent) => void) | undefined) => {
    journal.append(event);
    onEvent?.(event);
  };

  const refunded = opened.balance === undefined ? undefined : opened.balance + price;

  // The reply was ended before its outcome could be stored: its lease lapsed and a sweep ended it (`incomplete`,
  // its credits given back, its followers sent the terminal event). That stored ending is the reply's result.
  const readEndedElsewhere = async (): Promise<ChatTurnResult | undefined> => {
    const stored = await findMessage(db, chatbot.id, conversationId, messageId);
    if (!stored || stored.status === 'generating') return undefined;
    const terminal = storedReplyEvents(stored, BEFORE_START).at(-1) as TerminalReplyEvent;
    if (stored.status === 'failed') {
      const envelope = toStoredFailure(stored);
      const error = new AppError(envelope.code, { extra: { conversationId, messageId } });
      return { kind: 'failed', error, creditsRemaining: refunded, terminal };
    }
    return { kind: 'incomplete', reply: toStoredReply(stored), creditsRemaining: refunded, terminal };
  };

  return {
    conversationId,
    messageId,
    creditsHeld: opened.balance,
    start,
    fail(envelope) {
      const terminal = events.error(envelope);
      journal.append(terminal);
      return terminal;
    },
    async run({ signal: cancelled, onEvent }) {
      // The text so far is written to the message now and then, for clients that poll it, renewing the reply's
      // lease. A reply whose lease lapsed anyway (this instance stalled longer than it) was ended by a sweep:
      // generating it further is wasted, so it stops.
      const lost = new AbortController();
      const signal = cancelled ? AbortSignal.any([cancelled, lost.signal]) : lost.signal;
      const progress = createProgressWriter({
        db,
        messageId,
        clock,
        leaseMs: deps.replyLeaseMs,
        onLost: () => lost.abort(),
      });
      const { appendedInstructions } = request.prompt ?? {};
      const instructions = [chatbot.instructions, appendedInstructions].filter(Boolean).join('\n\n');
      const generated = await (async () => {
        const knowledge = await findChatKnowledge(deps.knowledge, chatbot, request.message);
        const outcome = await deps.models.generate({
          model: chatbot.model,
          prompt: {
            chatbotName: chatbot.name,
            instructions: knowledge ? buildKnowledgeInstructions(instructions, knowledge) : instructions,
            history: dropLeadingReplies(history),
            message: request.message,
            knowledge,
          },
          settings: {
            temperature: request.prompt?.temperature ?? chatbot.temperature,
            maxTokens: Math.min(request.prompt?.maxTokens ?? chatbot.max_tokens, chatbot.max_tokens),
          },
          signal,
          onDelta: (text) => {
            if (text.length === 0) return;
            progress.add(text);
            emit(events.delta(text), onEvent);
          },
        });
        return { knowledge, outcome };
      })().finally(() => progress.stop());
      const { knowledge, outcome } = generated;

      if (outcome.kind === 'failed') {
        const closed = await close(
          {
            status: 'failed',
            content: outcome.text,
            input_tokens: null,
            output_tokens: null,
            credits: null,
            sources: null,
            error_code: outcome.error.code,
          },
          'release',
        );
        if (!closed.stored) {
          const ended = await readEndedElsewhere();
          if (ended) return ended;
        }
        const error = new AppError(outcome.error.code, {
          extra: { conversationId, messageId },
          cause: outcome.error,
        });
        const terminal = events.error(error.toEnvelope());
        emit(terminal, onEvent);
        return { kind: 'failed', creditsRemaining: refunded, error, terminal };
      }

      // A reply cut short by the client is charged when any of it was generated (the provider billed it),
      // and released when nothing was.
      const charged = outcome.kind === 'complete' || outcome.text.length > 0;
      const usage = { ...outcome.usage, credits: 0 };
      const status = outcome.kind === 'complete' ? 'complete' : 'incomplete';
      const sources = knowledge ? toReplySources(knowledge, isLocalModel(chatbot.model)) : undefined;
      // A turn that outlived POLLYBOT_RESERVATION_TTL_MS may find its reservation already given back by the
      // sweep: its reply is then stored as free, never as charged for credits the ledger has refunded.
      const closed = await close(
        {
          status,
          content: outcome.text,
          input_tokens: usage.inputTokens,
          output_tokens: usage.outputTokens,
          credits: 0,
          sources: sources ? JSON.stringify(sources) : null,
          error_code: null,
        },
        charged ? 'settle' : 'release',
      );
      if (!closed.stored) {
        const ended = await readEndedElsewhere();
        if (ended) return ended;
      }
      if (closed.charged) usage.credits = price;
      const reply: ChatReply = { response: outcome.text, conversationId, messageId, usage };
      if (sources) reply.sources = sources;
      // A reply stored as free (its reservation given back by the sweep) left the balance as before it.
      const creditsRemaining = closed.charged ? opened.balance : refunded;
      const terminal = events.done(reply);
      emit(terminal, onEvent);
      return { kind: status, reply, creditsRemaining, terminal };
    },
  };
}

/** The longest metadata.userId the inbox can filter on: an identifier, short enough for any index. */
const MAX_USER_ID_LENGTH = 200;

/** metadata.userId, copied to its own column so the inbox can filter on it; only a non-empty string counts. */
function readUserId(metadata: Record<string, unknown> | undefined): string | null {
  const userId = metadata?.userId;
  return typeof userId === 'string' && userId.length > 0 && userId.length <= MAX_USER_ID_LENGTH
    ? userId
    : null;
}

/** A window cut mid-exchange can open on a reply; models expect the user to speak first. */
function dropLeadingReplies<T extends { role: string }>(history: T[]): T[] {
  const firstUser = history.findIndex((turn) => turn.role === 'user');
  return firstUser === -1 ? [] : history.slice(firstUser);
}
