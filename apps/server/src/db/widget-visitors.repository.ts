import { type Kysely, sql } from 'kysely';
import type {
  ConversationRow,
  Database,
  MessageRow,
  VisitorSessionRow,
  WidgetVisitorRow,
} from './database.ts';
import { fetchPage, type Page, type PageOptions } from './page.ts';

export async function insertWidgetVisitor(db: Kysely<Database>, row: WidgetVisitorRow): Promise<void> {
  await db.insertInto('widget_visitors').values(row).execute();
}

/** A visitor by id, for showing who a widget conversation is with. */
export function findWidgetVisitor(db: Kysely<Database>, id: string): Promise<WidgetVisitorRow | undefined> {
  return db.selectFrom('widget_visitors').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A visitor of the chatbot by the hash of their visitor token. */
export function findVisitorByTokenHash(
  db: Kysely<Database>,
  chatbotId: string,
  tokenHash: string,
): Promise<WidgetVisitorRow | undefined> {
  return db
    .selectFrom('widget_visitors')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .where('chatbot_id', '=', chatbotId)
    .executeTakeFirst();
}

/** The chatbot's visitor verified as `externalUserId` (a JWT's `sub`). */
export function findVisitorByExternalId(
  db: Kysely<Database>,
  chatbotId: string,
  externalUserId: string,
): Promise<WidgetVisitorRow | undefined> {
  return db
    .selectFrom('widget_visitors')
    .selectAll()
    .where('chatbot_id', '=', chatbotId)
    .where('external_user_id', '=', externalUserId)
    .executeTakeFirst();
}

/** Changes a visitor's identity fields, token hash or last visit. */
export async function updateWidgetVisitor(
  db: Kysely<Database>,
  id: string,
  fields: Partial<
    Pick<WidgetVisitorRow, 'token_hash' | 'external_user_id' | 'name' | 'email' | 'last_seen_at'>
  >,
): Promise<void> {
  await db.updateTable('widget_visitors').set(fields).where('id', '=', id).execute();
}

export async function insertVisitorSession(db: Kysely<Database>, row: VisitorSessionRow): Promise<void> {
  await db.insertInto('visitor_sessions').values(row).execute();
}

/** Deletes sessions that expired before `now`. */
export async function deleteExpiredVisitorSessions(db: Kysely<Database>, now: string): Promise<void> {
  await db.deleteFrom('visitor_sessions').where('expires_at', '<', now).execute();
}

/** What a request's visitor session stands for: the session, its visitor and its (live) publishable key. */
export type VisitorSessionLookup = Pick<
  VisitorSessionRow,
  'visitor_id' | 'chatbot_id' | 'workspace_id' | 'publishable_key_id' | 'origin' | 'expires_at'
> &
  Pick<WidgetVisitorRow, 'external_user_id' | 'name' | 'email'> & { allowed_origins: string };

/** A session that has not expired, whose publishable key is still live. */
export function findLiveVisitorSession(
  db: Kysely<Database>,
  tokenHash: string,
  now: string,
): Promise<VisitorSessionLookup | undefined> {
  return db
    .selectFrom('visitor_sessions as s')
    .innerJoin('widget_visitors as v', 'v.id', 's.visitor_id')
    .innerJoin('publishable_keys as k', 'k.id', 's.publishable_key_id')
    .select([
      's.visitor_id',
      's.chatbot_id',
      's.workspace_id',
      's.publishable_key_id',
      's.origin',
      's.expires_at',
      'v.external_user_id',
      'v.name',
      'v.email',
      'k.allowed_origins',
    ])
    .where('s.token_hash', '=', tokenHash)
    .where('s.expires_at', '>', now)
    .where('k.revoked_at', 'is', null)
    .executeTakeFirst();
}

/** Whether some live publishable key lists the origin (a preflight, which carries no key nor session). */
export async function isOriginOnAnyLiveKey(db: Kysely<Database>, origin: string): Promise<boolean> {
  const pattern = `%${JSON.stringify(origin).replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
  const row = await db
    .selectFrom('publishable_keys')
    .select('id')
    .where('revoked_at', 'is', null)
    .where(sql<boolean>`${sql.ref('allowed_origins')} like ${pattern} escape '\\'`)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** The visitor's conversations with the chatbot, newest first. */
export function listVisitorConversations(
  db: Kysely<Database>,
  chatbotId: string,
  visitorId: string,
  options: PageOptions,
): Promise<Page<ConversationRow>> {
  return fetchPage(
    db
      .selectFrom('conversations')
      .selectAll()
      .where('chatbot_id', '=', chatbotId)
      .where('visitor_id', '=', visitorId),
    options,
  );
}

/** The last `limit` messages of a conversation, oldest first. */
export async function listLastMessages(
  db: Kysely<Database>,
  conversationId: string,
  limit: number,
): Promise<MessageRow[]> {
  const rows = await db
    .selectFrom('messages')
    .selectAll()
    .where('conversation_id', '=', conversationId)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.reverse();
}

/** A message of one of the visitor's conversations with the chatbot. */
export function findVisitorMessage(
  db: Kysely<Database>,
  chatbotId: string,
  visitorId: string,
  messageId: string,
): Promise<MessageRow | undefined> {
  return db
    .selectFrom('messages as m')
    .innerJoin('conversations as c', 'c.id', 'm.conversation_id')
    .selectAll('m')
    .where('m.id', '=', messageId)
    .where('c.chatbot_id', '=', chatbotId)
    .where('c.visitor_id', '=', visitorId)
    .executeTakeFirst();
}

export async function setMessageFeedback(
  db: Kysely<Database>,
  messageId: string,
  feedback: 'up' | 'down' | null,
): Promise<void> {
  await db.updateTable('messages').set({ feedback }).where('id', '=', messageId).execute();
}
