import type { Kysely } from 'kysely';
import type { DatabaseDialect } from '../../db/connect.ts';
import type { Database } from '../../db/database.ts';
import {
  findKnowledgeMatches,
  type KnowledgeMatch,
  searchKnowledgeChunks,
} from '../../db/knowledge.repository.ts';
import type { EmbeddingService } from '../../models/embedding-gateway.ts';
import type { TtlCache } from '../cache/ttl-cache.ts';
import { extractSearchTerms } from './search-terms.ts';
import { mergeByRank, type VectorIndex } from './vector-index.ts';

/** A match, with its cosine similarity to the question when vector search found it. */
export type RankedMatch = KnowledgeMatch & { similarity: number | null };

export type KnowledgeSearchDeps = {
  db: Kysely<Database>;
  dialect: DatabaseDialect;
  /** With an embedding model, vector similarity joins full-text search and the two rankings are merged. */
  embeddings?: EmbeddingService | undefined;
  vectors?: VectorIndex | undefined;
  onEmbeddingError?: (error: unknown) => void;
  /** The titles of each chatbot's ready sources, kept current by the bus's `knowledge` invalidations. */
  topics?: TtlCache<ChatbotTopics> | undefined;
};

/** What a chat turn reads first of a chatbot's knowledge: the titles of its ready sources (none: no knowledge). */
export type ChatbotTopics = { chatbotId: string; topics: string[] };

/** Each engine proposes this many times the passages wanted, so the merge has candidates to weigh. */
const CANDIDATES_PER_PASSAGE = 3;

/**
 * The chatbot's chunks that best match the user's text, best first. Any input is safe: only its words are
 * searched for, so no text can make the query fail, and only this chatbot's content is ever read.
 * With an embedding model, the full-text and vector rankings are merged by reciprocal rank; if the model
 * fails, full-text results answer alone.
 */
export async function searchKnowledge(
  deps: KnowledgeSearchDeps,
  chatbotId: string,
  query: string,
  limit: number,
): Promise<RankedMatch[]> {
  const candidates = limit * CANDIDATES_PER_PASSAGE;
  const lexical = await searchKnowledgeChunks(
    deps.db,
    deps.dialect,
    chatbotId,
    extractSearchTerms(query),
    deps.embeddings ? candidates : limit,
  );
  const nearest = await searchVectors(deps, chatbotId, query, candidates);
  if (!nearest) return lexical.map((match) => ({ ...match, similarity: null }));

  const similarity = new Map(nearest.map((hit) => [hit.chunkId, hit.score]));
  const ids = mergeByRank([lexical, nearest], limit);
  const known = new Map(lexical.map((match) => [match.chunkId, match]));
  const missing = ids.filter((id) => !known.has(id));
  for (const match of await findKnowledgeMatches(deps.db, chatbotId, missing))
    known.set(match.chunkId, match);
  return ids.flatMap((id) => {
    const match = known.get(id);
    return match ? [{ ...match, similarity: similarity.get(id) ?? null }] : [];
  });
}

async function searchVectors(deps: KnowledgeSearchDeps, chatbotId: string, query: string, limit: number) {
  if (!deps.embeddings || !deps.vectors || query.trim().length === 0) return undefined;
  try {
    const [vector] = await deps.embeddings.embed([query]);
    if (!vector) return undefined;
    return await deps.vectors.search(chatbotId, deps.embeddings.modelId, vector, limit);
  } catch (error) {
    deps.onEmbeddingError?.(error);
    return undefined;
  }
}
