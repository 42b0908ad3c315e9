import type { Kysely } from 'kysely';
import { listChatbots } from '../../db/chatbots.repository.ts';
import type { Database } from '../../db/database.ts';
import type { Page, PageOptions } from '../../db/page.ts';
import { toChatbotView } from './chatbot-view.ts';

/** The workspace's chatbots, newest first. */
export async function listChatbotViews(
  deps: { db: Kysely<Database> },
  workspaceId: string,
  options: PageOptions,
): Promise<Page<ReturnType<typeof toChatbotView>>> {
  const page = await listChatbots(deps.db, workspaceId, options);
  return { items: page.items.map(toChatbotView), nextCursor: page.nextCursor };
}
