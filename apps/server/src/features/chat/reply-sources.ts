import type { ReplySource } from '@pollybot/contracts';
import type { ChatKnowledge } from '../../models/local-model.ts';

/** Whether the chatbot answers with the built-in model, which quotes one passage rather than writing from several. */
export function isLocalModel(model: string): boolean {
  return model.startsWith('local/');
}

/** The longest snippet of a passage a reply names as its source. */
const MAX_SNIPPET_CHARACTERS = 200;

/**
 * The sources of the passages a reply drew on, best first: one per source, or per page of an imported site.
 * The built-in model answers from the best passage alone, so it cites that one.
 */
export function toReplySources(knowledge: ChatKnowledge, bestOnly: boolean): ReplySource[] {
  const sources = new Map<string, ReplySource>();
  const passages = bestOnly ? knowledge.passages.slice(0, 1) : knowledge.passages;
  for (const passage of passages) {
    const key = `${passage.sourceId} ${passage.url ?? ''}`;
    if (sources.has(key)) continue;
    const snippet =
      passage.content.length > MAX_SNIPPET_CHARACTERS
        ? `${passage.content.slice(0, MAX_SNIPPET_CHARACTERS - 1).trimEnd()}…`
        : passage.content;
    sources.set(key, {
      id: passage.sourceId,
      title: passage.pageTitle ?? passage.title,
      ...(passage.url ? { url: passage.url } : {}),
      snippet,
    });
  }
  return [...sources.values()];
}
