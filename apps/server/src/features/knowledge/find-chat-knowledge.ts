import type { Kysely } from 'kysely';
import type { DatabaseDialect } from '../../db/connect.ts';
import type { Database } from '../../db/database.ts';
import { listReadyKnowledgeTitles } from '../../db/knowledge.repository.ts';
import type { ChatKnowledge } from '../../models/local-model.ts';
import { searchKnowledge } from './search-knowledge.ts';

/** How many passages a reply is given to answer from. */
export const PASSAGES_PER_REPLY = 4;

/** The chatbot's topics and the passages that match the message; undefined when it has no ready knowledge. */
export async function findChatKnowledge(
  db: Kysely<Database>,
  dialect: DatabaseDialect,
  chatbotId: string,
  message: string,
): Promise<ChatKnowledge | undefined> {
  const topics = await listReadyKnowledgeTitles(db, chatbotId);
  if (topics.length === 0) return undefined;
  const matches = await searchKnowledge(db, dialect, chatbotId, message, PASSAGES_PER_REPLY);
  return {
    topics,
    passages: matches.map((match) => ({
      sourceId: match.sourceId,
      kind: match.kind,
      title: match.title,
      heading: match.heading,
      content: match.content,
    })),
  };
}
