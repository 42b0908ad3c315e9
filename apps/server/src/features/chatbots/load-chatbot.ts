import type { Kysely } from 'kysely';
import { findChatbot } from '../../db/chatbots.repository.ts';
import type { ChatbotRow, Database } from '../../db/database.ts';
import type { TtlCache } from '../cache/ttl-cache.ts';

/** A chatbot of the workspace for the chat path, from the cache the bus keeps current, else the database. */
export async function loadChatbot(
  deps: { db: Kysely<Database>; caches: { chatbots: TtlCache<ChatbotRow> } },
  workspaceId: string,
  id: string,
): Promise<ChatbotRow | undefined> {
  const cached = deps.caches.chatbots.get(id);
  if (cached) return cached.workspace_id === workspaceId ? cached : undefined;
  const readSince = deps.caches.chatbots.generation();
  const row = await findChatbot(deps.db, workspaceId, id);
  if (row) deps.caches.chatbots.set(id, row, readSince);
  return row;
}
