import type { ChatbotRow } from '../../db/database.ts';
import { listReadyKnowledgeTitles } from '../../db/knowledge.repository.ts';
import type { ChatKnowledge } from '../../models/local-model.ts';
import { isRelevant } from './relevance.ts';
import { type KnowledgeSearchDeps, searchKnowledge } from './search-knowledge.ts';

/** How many passages a reply is given to answer from. */
export const PASSAGES_PER_REPLY = 4;

/**
 * The chatbot's topics and the passages relevant to the message (none when nothing clears the relevance
 * threshold); undefined when the chatbot has no ready knowledge.
 */
export async function findChatKnowledge(
  deps: KnowledgeSearchDeps,
  chatbot: Pick<ChatbotRow, 'id' | 'fallback_message'>,
  message: string,
): Promise<ChatKnowledge | undefined> {
  const topics = await readTopics(deps, chatbot.id);
  if (topics.length === 0) return undefined;
  const matches = await searchKnowledge(deps, chatbot.id, message, PASSAGES_PER_REPLY);
  return {
    topics,
    fallbackMessage: chatbot.fallback_message,
    passages: matches
      .filter((match) => isRelevant(match, message, deps.embeddings?.modelId))
      .map((match) => ({
        sourceId: match.sourceId,
        kind: match.kind,
        title: match.title,
        heading: match.heading,
        content: match.content,
        url: match.url,
        pageTitle: match.pageTitle,
      })),
  };
}

/** Every chat turn asks whether its chatbot has knowledge: answered from the cache the bus keeps current. */
async function readTopics(deps: KnowledgeSearchDeps, chatbotId: string): Promise<string[]> {
  const cached = deps.topics?.get(chatbotId);
  if (cached) return cached.topics;
  const readSince = deps.topics?.generation() ?? 0;
  const topics = await listReadyKnowledgeTitles(deps.db, chatbotId);
  deps.topics?.set(chatbotId, { chatbotId, topics }, readSince);
  return topics;
}
