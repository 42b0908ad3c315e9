import type { InboxQuery } from '@pollybot/contracts';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import {
  countMessagesOf,
  findLastUserMessagesOf,
  type InboxPosition,
  listInboxConversations,
} from '../../db/inbox.repository.ts';
import { invalidField } from '../../errors/validation-error.ts';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const STORED_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** A day means the whole UTC day: from its first millisecond, to its last. */
function toTimestamp(value: string, edge: 'start' | 'end'): string {
  if (DATE_ONLY.test(value)) return `${value}T${edge === 'start' ? '00:00:00.000' : '23:59:59.999'}Z`;
  return new Date(value).toISOString();
}

// The cursor names the last conversation of a page by its activity time and id: pages keep their order
// when new conversations arrive. Opaque to clients.
function encodeCursor(position: InboxPosition): string {
  return Buffer.from(`${position.updatedAt}|${position.id}`).toString('base64url');
}

function decodeCursor(cursor: string): InboxPosition {
  const [updatedAt = '', id = '', ...rest] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (!STORED_TIMESTAMP.test(updatedAt) || id.length === 0 || id.length > 64 || rest.length > 0) {
    const message = 'is not a cursor this API gave out';
    throw invalidField('cursor', message, 'query');
  }
  return { updatedAt, id };
}

/**
 * The workspace's conversations across chatbots, latest activity first, each with its chatbot's name, its
 * message count and its last user message (what the person asked last). Empty filter values count as absent.
 */
export async function listInbox(db: Kysely<Database>, workspaceId: string, query: InboxQuery) {
  const filters = {
    chatbotId: query.chatbotId || undefined,
    from: query.from ? toTimestamp(query.from, 'start') : undefined,
    to: query.to ? toTimestamp(query.to, 'end') : undefined,
    userId: query.userId || undefined,
    text: query.q?.trim() || undefined,
  };
  const after = query.cursor ? decodeCursor(query.cursor) : undefined;
  const rows = await listInboxConversations(db, workspaceId, filters, { limit: query.limit + 1, after });
  const page = rows.slice(0, query.limit);
  const ids = page.map((row) => row.id);
  const [counts, lastMessages] = await Promise.all([
    countMessagesOf(db, ids),
    findLastUserMessagesOf(db, ids),
  ]);
  const lastOf = new Map(lastMessages.map((message) => [message.conversation_id, message]));
  const last = page.at(-1);
  return {
    items: page.map((row) => {
      const message = lastOf.get(row.id);
      return {
        id: row.id,
        chatbotId: row.chatbot_id,
        chatbotName: row.chatbot_name,
        createdAt: row.created_at,
        updatedAt: row.updated_at,
        messageCount: counts.get(row.id) ?? 0,
        channel: row.channel,
        visitor: row.visitor_id
          ? {
              id: row.visitor_id,
              verified: row.visitor_external_user_id !== null,
              userId: row.visitor_external_user_id,
              name: row.visitor_name,
              email: row.visitor_email,
            }
          : null,
        lastMessage: message
          ? { role: message.role, content: message.content, createdAt: message.created_at }
          : null,
      };
    }),
    nextCursor:
      rows.length > query.limit && last ? encodeCursor({ updatedAt: last.updated_at, id: last.id }) : null,
  };
}
