import type { Kysely } from 'kysely';
import type { DatabaseDialect } from '../../db/connect.ts';
import type { Database } from '../../db/database.ts';
import { type KnowledgeMatch, searchKnowledgeChunks } from '../../db/knowledge.repository.ts';
import { extractSearchTerms } from './search-terms.ts';

export type { KnowledgeMatch } from '../../db/knowledge.repository.ts';

/**
 * The chatbot's chunks that best match the user's text, best first. Any input is safe: only its words are
 * searched for, so no text can make the query fail, and only this chatbot's content is ever read.
 */
export async function searchKnowledge(
  db: Kysely<Database>,
  dialect: DatabaseDialect,
  chatbotId: string,
  query: string,
  limit: number,
): Promise<KnowledgeMatch[]> {
  return searchKnowledgeChunks(db, dialect, chatbotId, extractSearchTerms(query), limit);
}
