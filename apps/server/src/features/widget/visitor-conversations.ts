import type { Kysely } from 'kysely';
import { findConversation } from '../../db/conversations.repository.ts';
import type { Database, MessageRow } from '../../db/database.ts';
import type { Page, PageOptions } from '../../db/page.ts';
import {
  findVisitorMessage,
  listLastMessages,
  listVisitorConversations,
  setMessageFeedback,
} from '../../db/widget-visitors.repository.ts';
import { AppError } from '../../errors/app-error.ts';
import type { MessageAddress } from '../chat/message-lookup.ts';
import { toConversationSummary } from '../conversations/conversation-view.ts';

/** A widget conversation shows its last this many messages. */
const WIDGET_CONVERSATION_MESSAGES = 100;

type Visitor = { chatbotId: string; visitorId: string };

/** A message as a visitor sees it: no metadata, no usage, no model. */
function toWidgetMessage(row: MessageRow) {
  const sources: unknown = row.sources === null ? undefined : JSON.parse(row.sources);
  return {
    id: row.id,
    role: row.role,
    content: row.content,
    status: row.status,
    ...(Array.isArray(sources) ? { sources } : {}),
    feedback: row.feedback,
    createdAt: row.created_at,
  };
}

/** The visitor's conversations with the chatbot, newest first. */
export async function listWidgetConversations(
  deps: { db: Kysely<Database> },
  visitor: Visitor,
  options: PageOptions,
): Promise<Page<ReturnType<typeof toConversationSummary>>> {
  const page = await listVisitorConversations(deps.db, visitor.chatbotId, visitor.visitorId, options);
  return { items: page.items.map(toConversationSummary), nextCursor: page.nextCursor };
}

/** One of the visitor's conversations with its last 100 messages; CONVERSATION_NOT_FOUND for anyone else's. */
export async function getWidgetConversation(deps: { db: Kysely<Database> }, visitor: Visitor, id: string) {
  const conversation = await findConversation(deps.db, visitor.chatbotId, id, visitor.visitorId);
  if (!conversation) throw new AppError('CONVERSATION_NOT_FOUND');
  const messages = await listLastMessages(deps.db, conversation.id, WIDGET_CONVERSATION_MESSAGES);
  return {
    id: conversation.id,
    createdAt: conversation.created_at,
    updatedAt: conversation.updated_at,
    messages: messages.map(toWidgetMessage),
  };
}

/** Where one of the visitor's messages is, for the chat pipeline's lookups; MESSAGE_NOT_FOUND otherwise. */
export async function findWidgetMessageAddress(
  deps: { db: Kysely<Database> },
  visitor: Visitor,
  messageId: string,
): Promise<MessageAddress> {
  const message = await findVisitorMessage(deps.db, visitor.chatbotId, visitor.visitorId, messageId);
  if (!message) throw new AppError('MESSAGE_NOT_FOUND');
  return { chatbotId: visitor.chatbotId, conversationId: message.conversation_id, messageId: message.id };
}

/** Stores the visitor's thumbs up or down (null clears it) on a reply of theirs; MESSAGE_NOT_FOUND otherwise. */
export async function rateWidgetReply(
  deps: { db: Kysely<Database> },
  visitor: Visitor,
  messageId: string,
  rating: 'up' | 'down' | null,
) {
  const message = await findVisitorMessage(deps.db, visitor.chatbotId, visitor.visitorId, messageId);
  if (message?.role !== 'assistant') throw new AppError('MESSAGE_NOT_FOUND');
  await setMessageFeedback(deps.db, message.id, rating);
  return toWidgetMessage({ ...message, feedback: rating });
}
