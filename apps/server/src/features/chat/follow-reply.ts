import type { Kysely } from 'kysely';
import { findMessage } from '../../db/conversations.repository.ts';
import type { Database } from '../../db/database.ts';
import { replayReply } from './replay-reply.ts';
import { BEFORE_START, isTerminal, type ReplyPosition, type TerminalReplyEvent } from './reply-events.ts';
import type { ReplyJournal } from './reply-journal.ts';

/** A journal silent this long makes a reader check the stored message (its instance may have stopped). */
const REPLAY_IDLE_MS = 5000;
/** How often a reader without a journal to follow reads the stored text. */
const REPLAY_POLL_MS = 250;

type FollowReplyDeps = { db: Kysely<Database>; journal: ReplyJournal };

/** A reply of a chatbot's conversation, to be replayed to a client. */
export type ReplayTarget = { chatbotId: string; conversationId: string; messageId: string };

/**
 * A reply's events for a client at `after`, wherever it is generated: what the client missed, then the live
 * rest. Ends after the terminal event, when the message is deleted, or when `signal` aborts (the client left).
 */
export function followReply(
  deps: FollowReplyDeps,
  target: ReplayTarget,
  after: ReplyPosition,
  signal: AbortSignal,
) {
  return replayReply(
    {
      journal: deps.journal,
      readMessage: () => findMessage(deps.db, target.chatbotId, target.conversationId, target.messageId),
      idleMs: REPLAY_IDLE_MS,
      pollMs: REPLAY_POLL_MS,
    },
    target.messageId,
    after,
    signal,
  );
}

/** Waits for a reply's end and answers its terminal event; undefined when it was deleted or the client left. */
export async function awaitReplyEnd(
  deps: FollowReplyDeps,
  target: ReplayTarget,
  signal: AbortSignal,
): Promise<TerminalReplyEvent | undefined> {
  let terminal: TerminalReplyEvent | undefined;
  for await (const event of followReply(deps, target, BEFORE_START, signal)) {
    if (isTerminal(event)) terminal = event;
  }
  return terminal;
}
