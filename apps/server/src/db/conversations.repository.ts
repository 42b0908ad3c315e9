import { type Kysely, sql } from 'kysely';
import type { ConversationRow, Database, MessageRow, NewConversationRow, NewMessageRow } from './database.ts';
import { fetchPage, type Page, type PageOptions } from './page.ts';

export async function insertConversation(db: Kysely<Database>, row: NewConversationRow): Promise<void> {
  await db.insertInto('conversations').values(row).execute();
}

/** Finds a conversation only under its own chatbot (and so its own workspace). */
/** A conversation of the chatbot; with `visitorId`, only when it is that widget visitor's. */
export function findConversation(
  db: Kysely<Database>,
  chatbotId: string,
  id: string,
  visitorId?: string,
): Promise<ConversationRow | undefined> {
  let query = db
    .selectFrom('conversations')
    .selectAll()
    .where('id', '=', id)
    .where('chatbot_id', '=', chatbotId);
  if (visitorId !== undefined) query = query.where('visitor_id', '=', visitorId);
  return query.executeTakeFirst();
}

export async function listConversations(
  db: Kysely<Database>,
  chatbotId: string,
  options: PageOptions,
): Promise<Page<ConversationRow>> {
  return fetchPage(db.selectFrom('conversations').selectAll().where('chatbot_id', '=', chatbotId), options);
}

export async function deleteConversation(
  db: Kysely<Database>,
  chatbotId: string,
  id: string,
): Promise<boolean> {
  const result = await db
    .deleteFrom('conversations')
    .where('id', '=', id)
    .where('chatbot_id', '=', chatbotId)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

export async function touchConversation(db: Kysely<Database>, id: string, updatedAt: string): Promise<void> {
  await db.updateTable('conversations').set({ updated_at: updatedAt }).where('id', '=', id).execute();
}

/** Inserts messages in one statement (a turn's user message and its reply's row). */
export async function insertMessages(db: Kysely<Database>, rows: NewMessageRow[]): Promise<void> {
  await db.insertInto('messages').values(rows).execute();
}

/**
 * Writes a reply's outcome onto its message row while it is still `generating`; answers false when it was not
 * (it was ended already, by the sweep of lapsed leases, or deleted).
 */
export async function updateGeneratingMessage(
  db: Kysely<Database>,
  id: string,
  fields: Pick<MessageRow, 'content'> &
    Partial<
      Pick<MessageRow, 'status' | 'input_tokens' | 'output_tokens' | 'credits' | 'sources' | 'error_code'>
    >,
): Promise<boolean> {
  const result = await db
    .updateTable('messages')
    .set({ ...fields, lease_expires_at: null })
    .where('id', '=', id)
    .where('status', '=', 'generating')
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/**
 * The text so far of a reply still being generated, renewing its lease; with no text, the lease alone.
 * Answers false once the reply is no longer generating (ended, perhaps because its lease had lapsed).
 */
export async function renewGeneratingReply(
  db: Kysely<Database>,
  id: string,
  renewal: { leaseExpiresAt: string; content?: string },
): Promise<boolean> {
  const result = await db
    .updateTable('messages')
    .set(
      renewal.content === undefined
        ? { lease_expires_at: renewal.leaseExpiresAt }
        : { content: renewal.content, lease_expires_at: renewal.leaseExpiresAt },
    )
    .where('id', '=', id)
    .where('status', '=', 'generating')
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** A reply whose instance stopped renewing its lease, as the sweep that ends it needs it. */
export type LapsedReply = Pick<MessageRow, 'id' | 'content' | 'reservation_id'>;

/** The query for replies still `generating` whose lease ran out before `now` (exported for its plan's test). */
export function lapsedRepliesQuery(db: Kysely<Database>, now: string, limit: number) {
  return (
    db
      .selectFrom('messages')
      .select(['id', 'content', 'reservation_id'])
      // A literal, as in abandonedRepliesUpdate: it matches the partial index messages_reply_lease_idx.
      .where('status', '=', sql.lit('generating'))
      .where('lease_expires_at', '<', now)
      .orderBy('lease_expires_at')
      .limit(limit)
  );
}

/** Up to `limit` replies whose lease ran out before `now`, the longest lapsed first. */
export function listLapsedReplies(db: Kysely<Database>, now: string, limit: number): Promise<LapsedReply[]> {
  return lapsedRepliesQuery(db, now, limit).execute();
}

/**
 * Ends a reply whose lease ran out: `incomplete` with `content`, if it is still generating under a lapsed
 * lease (a renewal or its rightful end since it was listed leaves it alone). Answers whether it was ended.
 */
export async function endLapsedReply(
  db: Kysely<Database>,
  id: string,
  ending: { content: string; now: string },
): Promise<boolean> {
  const result = await db
    .updateTable('messages')
    .set({ status: 'incomplete', content: ending.content, lease_expires_at: null })
    .where('id', '=', id)
    .where('status', '=', 'generating')
    .where('lease_expires_at', '<', ending.now)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/**
 * The update that ends replies left `generating` before `before` with no lease (stored before leases existed;
 * a reply under a lease is ended by the lease sweep, and only once its instance stopped renewing it).
 * Exported for its query plan's test.
 */
export function abandonedRepliesUpdate(db: Kysely<Database>, before: string) {
  return (
    db
      .updateTable('messages')
      .set({ status: 'incomplete' })
      // A literal, not a parameter: it matches the condition of the partial index messages_generating_idx
      // whatever a planner knows of bound values when it prepares the statement.
      .where('status', '=', sql.lit('generating'))
      .where('created_at', '<', before)
      .where('lease_expires_at', 'is', null)
  );
}

/** Replies without a lease left `generating` by an instance that stopped before storing them, started before `before`. */
export async function markAbandonedReplies(db: Kysely<Database>, before: string): Promise<number> {
  const result = await abandonedRepliesUpdate(db, before).executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** A message by its id alone, for the server's own sweeps (requests find theirs under their chatbot). */
export function findReplyMessage(db: Kysely<Database>, messageId: string): Promise<MessageRow | undefined> {
  return db.selectFrom('messages').selectAll().where('id', '=', messageId).executeTakeFirst();
}

/** One message of a chatbot's conversation. */
export function findMessage(
  db: Kysely<Database>,
  chatbotId: string,
  conversationId: string,
  messageId: string,
): Promise<MessageRow | undefined> {
  return db
    .selectFrom('messages')
    .innerJoin('conversations', 'conversations.id', 'messages.conversation_id')
    .selectAll('messages')
    .where('messages.id', '=', messageId)
    .where('messages.conversation_id', '=', conversationId)
    .where('conversations.chatbot_id', '=', chatbotId)
    .executeTakeFirst();
}

export function listMessages(db: Kysely<Database>, conversationId: string): Promise<MessageRow[]> {
  return db
    .selectFrom('messages')
    .selectAll()
    .where('conversation_id', '=', conversationId)
    .orderBy('id', 'asc')
    .execute();
}

/** One page of a conversation's messages, oldest first, through the (conversation_id, id) index. */
export function listMessagesPage(
  db: Kysely<Database>,
  conversationId: string,
  options: PageOptions,
): Promise<Page<MessageRow>> {
  return fetchPage(
    db.selectFrom('messages').selectAll().where('conversation_id', '=', conversationId),
    options,
    'oldest first',
  );
}

/**
 * The last `count` messages that carry text and did not fail, oldest first: the history window a model sees.
 * Reads only `count` rows through the (conversation_id, id) index, whatever the conversation's length.
 */
export async function listRecentMessages(
  db: Kysely<Database>,
  conversationId: string,
  count: number,
): Promise<Pick<MessageRow, 'role' | 'content'>[]> {
  if (count === 0) return [];
  const rows = await db
    .selectFrom('messages')
    .select(['role', 'content'])
    .where('conversation_id', '=', conversationId)
    .where('content', '!=', '')
    .where('status', 'not in', ['failed', 'generating'])
    .orderBy('id', 'desc')
    .limit(count)
    .execute();
  return rows.reverse();
}
