import type { Kysely } from 'kysely';
import { listChatbots } from '../../db/chatbots.repository.ts';
import type { ChatbotRow, Database } from '../../db/database.ts';
import type { TtlCache } from '../cache/ttl-cache.ts';
import { toChatbotView } from './chatbot-view.ts';
import { loadChatbot } from './load-chatbot.ts';

/** The most chatbots one listing of the OpenAI-compatible models names (newest first). */
const MAX_LISTED_CHATBOTS = 1000;
const PAGE = 100;

/** The workspace's active chatbots, newest first, at most MAX_LISTED_CHATBOTS of them. */
export async function listActiveChatbots(
  deps: { db: Kysely<Database> },
  workspaceId: string,
): Promise<ReturnType<typeof toChatbotView>[]> {
  const active: ReturnType<typeof toChatbotView>[] = [];
  let cursor: string | undefined;
  for (let read = 0; read < MAX_LISTED_CHATBOTS; read += PAGE) {
    const page = await listChatbots(deps.db, workspaceId, { limit: PAGE, cursor });
    for (const row of page.items) if (row.status === 'active') active.push(toChatbotView(row));
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  return active.slice(0, MAX_LISTED_CHATBOTS);
}

/** An active chatbot of the workspace; undefined for an unknown, foreign or inactive one. */
export async function findActiveChatbot(
  deps: { db: Kysely<Database>; caches: { chatbots: TtlCache<ChatbotRow> } },
  workspaceId: string,
  id: string,
): Promise<ReturnType<typeof toChatbotView> | undefined> {
  const row = await loadChatbot(deps, workspaceId, id);
  return row?.status === 'active' ? toChatbotView(row) : undefined;
}
