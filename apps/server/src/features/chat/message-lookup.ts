import type { Kysely } from 'kysely';
import { findConversation, findMessage } from '../../db/conversations.repository.ts';
import type { Database, MessageRow } from '../../db/database.ts';
import { AppError } from '../../errors/app-error.ts';
import { getChatbot } from '../chatbots/save-chatbot.ts';
import { toMessageView } from '../conversations/conversation-view.ts';
import { type ChatCaller, workspaceOf } from './chat-caller.ts';
import { followReply } from './follow-reply.ts';
import type { Generations } from './generations.ts';
import type { ReplyPosition } from './reply-events.ts';
import type { ReplyJournal } from './reply-journal.ts';
import type { ReplyStream } from './reply-stream.ts';

type MessageLookupDeps = { db: Kysely<Database>; journal: ReplyJournal; generations: Generations };

/** A message of a chatbot's conversation, as a client names it. */
export type MessageAddress = { chatbotId: string; conversationId: string; messageId: string };

/** A turn's messages after the turn: read one, stop a reply being generated, follow a reply's stream. */
export function createMessageLookup(deps: MessageLookupDeps) {
  /** The chatbot's message, or CHATBOT_NOT_FOUND / CONVERSATION_NOT_FOUND / MESSAGE_NOT_FOUND. */
  async function findStoredMessage(caller: ChatCaller, address: MessageAddress): Promise<MessageRow> {
    if (caller.kind === 'visitor' && caller.chatbotId !== address.chatbotId)
      throw new AppError('CHATBOT_NOT_FOUND');
    const chatbot = await getChatbot(deps, workspaceOf(caller), address.chatbotId);
    const conversation = await findConversation(deps.db, chatbot.id, address.conversationId);
    // A visitor reaches only their own conversations; another's is as if it did not exist.
    const isOthers = caller.kind === 'visitor' && conversation?.visitor_id !== caller.visitorId;
    if (!conversation || isOthers) throw new AppError('CONVERSATION_NOT_FOUND');
    const message = await findMessage(deps.db, chatbot.id, address.conversationId, address.messageId);
    if (!message) throw new AppError('MESSAGE_NOT_FOUND');
    return message;
  }

  return {
    /** The message as the API shows it: its status, its text so far and its usage. */
    async getMessage(caller: ChatCaller, address: MessageAddress) {
      return toMessageView(await findStoredMessage(caller, address));
    },

    /**
     * Asks whichever instance generates the reply to stop it, and answers the message as it is now.
     * MESSAGE_NOT_GENERATING for a reply that has ended (or a user's message).
     */
    async cancelReply(caller: ChatCaller, address: MessageAddress) {
      const message = await findStoredMessage(caller, address);
      if (message.role !== 'assistant' || message.status !== 'generating') {
        throw new AppError('MESSAGE_NOT_GENERATING');
      }
      await deps.generations.cancel(message.id).catch((error: unknown) => {
        throw new AppError('SERVICE_UNAVAILABLE', {
          message: 'The cancel could not be passed to the other instances right now; retry shortly',
          cause: error,
        });
      });
      return toMessageView(message);
    },

    /**
     * A reply's stream for a client that has seen everything up to `after`, until `signal` aborts; `seen-all`
     * when the client has received the terminal event already; `not-in-reply` when `after` is no event of this
     * reply (past the end of a reply that has ended, or an end other than its own).
     */
    async followReply(
      caller: ChatCaller,
      address: MessageAddress,
      after: ReplyPosition,
      signal: AbortSignal,
    ): Promise<ReplyStream | 'seen-all' | 'not-in-reply'> {
      const message = await findStoredMessage(caller, address);
      if (message.role !== 'assistant') {
        throw new AppError('MESSAGE_NOT_FOUND', {
          message: 'Only a reply has a stream; this is a user message',
        });
      }
      // The terminal event stands just after the reply's last character.
      const end = message.content.length + 0.5;
      const hasEnded = message.status !== 'generating';
      if (hasEnded && after > end) return 'not-in-reply';
      if (!Number.isInteger(after)) return hasEnded && after !== end ? 'not-in-reply' : 'seen-all';
      const target = {
        chatbotId: address.chatbotId,
        conversationId: message.conversation_id,
        messageId: message.id,
      };
      return { kind: 'replay', messageId: message.id, events: followReply(deps, target, after, signal) };
    },
  };
}
