import {
  conversationSchema,
  deletedSchema,
  inboxConversationSchema,
  messageSchema,
} from '@pollybot/contracts';
import { chatbotPath } from './chatbots.ts';
import { api, apiPage, apiWithCursor, type Page, type Query } from './client.ts';
import type { Conversation, InboxConversation, Message } from './types.ts';

// Conversations: the workspace's inbox (/api/v1/conversations) and one chatbot's conversation with its
// messages (/api/v1/chatbots/{id}/conversations/{id}).

/** One page of the inbox, newest activity first, narrowed by the filters in `query`. */
export function listInbox(
  query: Query,
  cursor: string | undefined,
  signal?: AbortSignal,
): Promise<Page<InboxConversation>> {
  return apiPage('/api/v1/conversations', inboxConversationSchema, { ...query, limit: 25, cursor }, signal);
}

/** A conversation with one page of its messages (oldest first) and the cursor of the next page. */
export function getConversation(
  chatbotId: string,
  conversationId: string,
  query: { limit?: number; cursor?: string | null },
  signal?: AbortSignal,
): Promise<{ data: Conversation; nextCursor: string | null }> {
  return apiWithCursor(
    chatbotPath(chatbotId, 'conversations', conversationId),
    conversationSchema,
    query,
    signal,
  );
}

/** A conversation with every message: the server sends them a page at a time, oldest first. */
export async function getWholeConversation(
  chatbotId: string,
  conversationId: string,
  signal: AbortSignal,
): Promise<Conversation> {
  const first = await getConversation(chatbotId, conversationId, { limit: 500 }, signal);
  const messages = [...first.data.messages];
  for (let cursor = first.nextCursor; cursor; ) {
    const page = await getConversation(chatbotId, conversationId, { limit: 500, cursor }, signal);
    messages.push(...page.data.messages);
    cursor = page.nextCursor;
  }
  return { ...first.data, messages };
}

/** Deletes the conversation and its messages. */
export async function deleteConversation(chatbotId: string, conversationId: string): Promise<void> {
  await api('DELETE', chatbotPath(chatbotId, 'conversations', conversationId), deletedSchema);
}

/** One message as stored now: its status, text and usage (what a stopped reply was charged). */
export function getMessage(
  chatbotId: string,
  conversationId: string,
  messageId: string,
  signal?: AbortSignal,
): Promise<Message> {
  return api(
    'GET',
    chatbotPath(chatbotId, 'conversations', conversationId, 'messages', messageId),
    messageSchema,
    { signal },
  );
}

/** Stops a reply being generated; the stream then ends with what was written. */
export function cancelReply(chatbotId: string, conversationId: string, messageId: string): Promise<Message> {
  return api(
    'POST',
    chatbotPath(chatbotId, 'conversations', conversationId, 'messages', messageId, 'cancel'),
    messageSchema,
  );
}
