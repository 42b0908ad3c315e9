import type { RankedMatch } from './search-knowledge.ts';
import { extractSearchTerms, stem } from './search-terms.ts';

/**
 * A passage answers a question when it holds at least this share of the question's meaningful words. The
 * engines return anything that shares one word with the question; a passage holding "item" is not an
 * answer to "Which item of clothing suits a wedding on the moon?".
 */
const MIN_TERM_COVERAGE = 1 / 3;

// Words a question is phrased with rather than about ("how long does it take", "I need to know"): the
// answer rarely repeats them, so they count neither for nor against a passage.
const PHRASING = new Set(
  (
    'long much many take takes get got need needs want know make way like use used also just still ever ' +
    'really lot thing things something anything someone anyone possible able best there'
  ).split(' '),
);

/**
 * Or when an embedding model finds it at least this similar to the question (cosine of unit vectors).
 * Models differ: the built-in encoder scores a question and its answering passage about 0.45 and unrelated
 * passages below 0.3; remote models such as OpenAI's spread wider.
 */
function minSimilarity(embeddingModel: string | undefined): number {
  return embeddingModel?.startsWith('local/') ? 0.35 : 0.4;
}

/** Words that carry meaning: single letters ("s" of "what's") tell nothing apart. */
function meaningfulTerms(text: string): string[] {
  const terms = extractSearchTerms(text).filter((term) => term.length > 1 && !PHRASING.has(term));
  return [...new Set(terms.map(stem))];
}

/** How many of the question's meaningful words the passage (its title, heading and text) holds, of how many. */
function termCoverage(
  match: Pick<RankedMatch, 'title' | 'heading' | 'content'>,
  question: string,
): { matched: number; terms: number } {
  const terms = meaningfulTerms(question);
  const words = new Set(
    extractSearchTerms(`${match.title} ${match.heading ?? ''} ${match.content}`).map(stem),
  );
  return { matched: terms.filter((term) => words.has(term)).length, terms: terms.length };
}

/**
 * Whether a passage the engines found is relevant enough to answer from and cite: similar enough by
 * vectors, or holding a third of the question's meaningful words and, for a question of three or more,
 * at least two of them (one shared word such as "time" is not a topic).
 */
export function isRelevant(match: RankedMatch, question: string, embeddingModel?: string): boolean {
  if (match.similarity !== null && match.similarity >= minSimilarity(embeddingModel)) return true;
  const { matched, terms } = termCoverage(match, question);
  if (terms === 0) return false;
  return matched / terms >= MIN_TERM_COVERAGE && matched >= Math.min(2, terms - 1, terms);
}
