import { type Kysely, sql } from 'kysely';
import type { Database, MessageRow } from './database.ts';

export type InboxFilters = {
  chatbotId?: string | undefined;
  /** ISO timestamps: conversations active at some point between them. */
  from?: string | undefined;
  to?: string | undefined;
  userId?: string | undefined;
  /** Text a message must contain, case-insensitively, taken literally (`%` and `_` are not wildcards). */
  text?: string | undefined;
};

/** Where a page of the inbox starts: just after this conversation in "latest activity first" order. */
export type InboxPosition = { updatedAt: string; id: string };

export type InboxRow = {
  id: string;
  chatbot_id: string;
  chatbot_name: string;
  created_at: string;
  updated_at: string;
  channel: 'api' | 'widget';
  visitor_id: string | null;
  visitor_external_user_id: string | null;
  visitor_name: string | null;
  visitor_email: string | null;
};

/** `%`, `_` and the escape character itself, escaped for LIKE ... ESCAPE '\'. */
function escapeLikePattern(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}

/** A workspace's conversations, latest activity first; `limit` rows at most. */
export function listInboxConversations(
  db: Kysely<Database>,
  workspaceId: string,
  filters: InboxFilters,
  page: { limit: number; after?: InboxPosition | undefined },
): Promise<InboxRow[]> {
  let query = db
    .selectFrom('conversations as c')
    .innerJoin('chatbots as b', 'b.id', 'c.chatbot_id')
    .leftJoin('widget_visitors as v', 'v.id', 'c.visitor_id')
    .select([
      'c.id',
      'c.chatbot_id',
      'b.name as chatbot_name',
      'c.created_at',
      'c.updated_at',
      'c.channel',
      'c.visitor_id',
      'v.external_user_id as visitor_external_user_id',
      'v.name as visitor_name',
      'v.email as visitor_email',
    ])
    .where('c.workspace_id', '=', workspaceId);
  if (filters.chatbotId) query = query.where('c.chatbot_id', '=', filters.chatbotId);
  if (filters.from) query = query.where('c.updated_at', '>=', filters.from);
  if (filters.to) query = query.where('c.created_at', '<=', filters.to);
  const { userId, text } = filters;
  if (userId) {
    query = query.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('messages as m')
          .select('m.id')
          .whereRef('m.conversation_id', '=', 'c.id')
          .where('m.workspace_id', '=', workspaceId)
          .where('m.user_id', '=', userId),
      ),
    );
  }
  if (text) {
    // lower() on both sides: PostgreSQL's LIKE is case-sensitive, SQLite's only for non-ASCII letters.
    const pattern = `%${escapeLikePattern(text.toLowerCase())}%`;
    query = query.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('messages as m')
          .select('m.id')
          .whereRef('m.conversation_id', '=', 'c.id')
          .where(sql<boolean>`lower(${sql.ref('m.content')}) like ${pattern} escape '\\'`),
      ),
    );
  }
  const { after } = page;
  if (after) {
    query = query.where((eb) =>
      eb.or([
        eb('c.updated_at', '<', after.updatedAt),
        eb.and([eb('c.updated_at', '=', after.updatedAt), eb('c.id', '<', after.id)]),
      ]),
    );
  }
  return query.orderBy('c.updated_at', 'desc').orderBy('c.id', 'desc').limit(page.limit).execute();
}

/** How many messages each of the conversations holds. */
export async function countMessagesOf(
  db: Kysely<Database>,
  conversationIds: string[],
): Promise<Map<string, number>> {
  if (conversationIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('messages')
    .select(['conversation_id', (eb) => eb.fn.countAll<number | string>().as('count')])
    .where('conversation_id', 'in', conversationIds)
    .groupBy('conversation_id')
    .execute();
  return new Map(rows.map((row) => [row.conversation_id, Number(row.count)]));
}

/**
 * The latest user message of each of the conversations: what the person asked last, which an inbox preview
 * shows (ids are time-ordered, so the greatest id is the latest).
 */
export function findLastUserMessagesOf(
  db: Kysely<Database>,
  conversationIds: string[],
): Promise<Pick<MessageRow, 'conversation_id' | 'role' | 'content' | 'created_at'>[]> {
  if (conversationIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('messages')
    .select(['conversation_id', 'role', 'content', 'created_at'])
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('messages')
        .select((inner) => inner.fn.max('id').as('id'))
        .where('conversation_id', 'in', conversationIds)
        .where('role', '=', 'user')
        .groupBy('conversation_id'),
    )
    .execute();
}
