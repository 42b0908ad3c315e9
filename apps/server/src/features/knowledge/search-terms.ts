// Words too common to tell passages apart; dropped from search queries on both dialects.
const STOPWORDS = new Set(
  (
    'a an and are as at be but by can could did do does for from had has have how i if in into is it its ' +
    'me my of on or our so than that the their them then there these they this to us was we were what when ' +
    'where which who whom why will with would you your yours about any some tell please hi hello hey'
  ).split(' '),
);

/** The most terms one query searches for: enough for any real question, bounded for hostile ones. */
const MAX_TERMS = 32;

/**
 * The distinct, lower-cased words of the user's text, without stopwords. Only letters and digits survive,
 * so no character of the input can reach a full-text query as syntax.
 */
export function extractSearchTerms(text: string): string[] {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const terms = [...new Set(words.filter((word) => !STOPWORDS.has(word) && word.length <= 64))];
  return terms.slice(0, MAX_TERMS);
}

/** A crude stem, so "hours" meets "hour" and "opening" meets "open" when comparing words outside the engines. */
export function stem(word: string): string {
  return word.replace(/ies$/, 'y').replace(/(ing|ed|es|s)$/, '') || word;
}
