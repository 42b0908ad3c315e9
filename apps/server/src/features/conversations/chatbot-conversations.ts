import type { Kysely } from 'kysely';
import {
  deleteConversation,
  findConversation,
  listConversations,
  listMessagesPage,
} from '../../db/conversations.repository.ts';
import type { Database } from '../../db/database.ts';
import type { Page, PageOptions } from '../../db/page.ts';
import { findWidgetVisitor } from '../../db/widget-visitors.repository.ts';
import { AppError } from '../../errors/app-error.ts';
import { toConversationSummary, toConversationVisitor, toMessageView } from './conversation-view.ts';

type Deps = { db: Kysely<Database> };

/** A chatbot's conversations, newest first. */
export async function listConversationSummaries(
  deps: Deps,
  chatbotId: string,
  options: PageOptions,
): Promise<Page<ReturnType<typeof toConversationSummary>>> {
  const page = await listConversations(deps.db, chatbotId, options);
  return { items: page.items.map(toConversationSummary), nextCursor: page.nextCursor };
}

/** A conversation of the chatbot with a page of its messages, oldest first; CONVERSATION_NOT_FOUND otherwise. */
export async function getConversationPage(
  deps: Deps,
  chatbotId: string,
  conversationId: string,
  options: PageOptions,
) {
  const conversation = await findConversation(deps.db, chatbotId, conversationId);
  if (!conversation) throw new AppError('CONVERSATION_NOT_FOUND');
  const page = await listMessagesPage(deps.db, conversation.id, options);
  const visitor = conversation.visitor_id
    ? await findWidgetVisitor(deps.db, conversation.visitor_id)
    : undefined;
  return {
    conversation: {
      ...toConversationSummary(conversation),
      channel: conversation.channel,
      visitor: toConversationVisitor(visitor),
      messages: page.items.map(toMessageView),
    },
    nextCursor: page.nextCursor,
  };
}

/** Deletes a conversation of the chatbot with its messages; CONVERSATION_NOT_FOUND otherwise. */
export async function removeConversation(
  deps: Deps,
  chatbotId: string,
  conversationId: string,
): Promise<void> {
  const deleted = await deleteConversation(deps.db, chatbotId, conversationId);
  if (!deleted) throw new AppError('CONVERSATION_NOT_FOUND');
}
