import type { FastifyReply } from 'fastify';
import { findMessage } from '../db/conversations.repository.ts';
import type { MessageRow } from '../db/database.ts';
import { replayReply } from '../features/chat/replay-reply.ts';
import {
  BEFORE_START,
  isTerminal,
  type ReplyPosition,
  type TerminalReplyEvent,
} from '../features/chat/reply-events.ts';
import type { Services } from '../services.ts';
import { SseStream } from './sse.ts';

/** A journal silent this long makes a reader check the stored message (its instance may have stopped). */
const REPLAY_IDLE_MS = 5000;
/** How often a reader without a journal to follow reads the stored text. */
const REPLAY_POLL_MS = 250;

/** A reply of a chatbot's conversation, to be replayed to a client. */
export type ReplayTarget = { chatbotId: string; conversationId: string; messageId: string };

/** The reply's events for a client at `after`, ending when the client leaves. */
function replayEvents(services: Services, reply: FastifyReply, target: ReplayTarget, after: ReplyPosition) {
  const controller = new AbortController();
  reply.raw.on('close', () => controller.abort());
  const readMessage = (): Promise<MessageRow | undefined> =>
    findMessage(services.db, target.chatbotId, target.conversationId, target.messageId);
  return replayReply(
    { journal: services.replyJournal, readMessage, idleMs: REPLAY_IDLE_MS, pollMs: REPLAY_POLL_MS },
    target.messageId,
    after,
    controller.signal,
  );
}

/** Sends a reply's events from `after` as Server-Sent Events: what the client missed, then the live rest. */
export async function streamReplay(
  services: Services,
  reply: FastifyReply,
  target: ReplayTarget,
  after: ReplyPosition,
): Promise<FastifyReply> {
  const stream = new SseStream(reply, services.config.sseHeartbeatMs);
  stream.open();
  for await (const event of replayEvents(services, reply, target, after)) stream.send(event);
  // The message was deleted while it was followed, or the client left: end without a terminal event.
  stream.close();
  return reply;
}

/** Waits for a reply's end and answers its terminal event; undefined when the client left first. */
export async function awaitReplyEnd(
  services: Services,
  reply: FastifyReply,
  target: ReplayTarget,
): Promise<TerminalReplyEvent | undefined> {
  let terminal: TerminalReplyEvent | undefined;
  for await (const event of replayEvents(services, reply, target, BEFORE_START)) {
    if (isTerminal(event)) terminal = event;
  }
  return terminal;
}
