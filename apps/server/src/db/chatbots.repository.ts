import type { Kysely } from 'kysely';
import type { ChatbotRow, ChatbotRowUpdate, Database, NewChatbotRow } from './database.ts';
import { fetchPage, type Page, type PageOptions } from './page.ts';

export async function insertChatbot(db: Kysely<Database>, row: NewChatbotRow): Promise<void> {
  await db.insertInto('chatbots').values(row).execute();
}

/** Finds a chatbot only within its own workspace: another workspace's bot does not exist here. */
export function findChatbot(
  db: Kysely<Database>,
  workspaceId: string,
  id: string,
): Promise<ChatbotRow | undefined> {
  return db
    .selectFrom('chatbots')
    .selectAll()
    .where('id', '=', id)
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst();
}

export async function listChatbots(
  db: Kysely<Database>,
  workspaceId: string,
  options: PageOptions,
): Promise<Page<ChatbotRow>> {
  return fetchPage(db.selectFrom('chatbots').selectAll().where('workspace_id', '=', workspaceId), options);
}

export async function updateChatbot(
  db: Kysely<Database>,
  workspaceId: string,
  id: string,
  changes: ChatbotRowUpdate,
): Promise<boolean> {
  const result = await db
    .updateTable('chatbots')
    .set(changes)
    .where('id', '=', id)
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Deletes a chatbot; its conversations and messages go with it (foreign keys cascade). */
export async function deleteChatbot(db: Kysely<Database>, workspaceId: string, id: string): Promise<boolean> {
  const result = await db
    .deleteFrom('chatbots')
    .where('id', '=', id)
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}
