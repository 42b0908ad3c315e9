import type { ChatKnowledge, KnowledgePassage, LocalReplyInput } from '../../models/local-model.ts';
import { joinSentences, splitSentences } from '../knowledge/chunk-text.ts';
import { extractSearchTerms, stem } from '../knowledge/search-terms.ts';

const GREETING = /^\s*(hi|hello|hey|good (morning|afternoon|evening)|howdy|greetings)\b/i;
const CAPABILITIES =
  /\b(what (can|do) you (do|know|help)|what are you|who are you|how can you help|help me\b|^\s*help\s*[?!.]*\s*$)/i;

/** The most sentences a reply quotes from one passage. */
const MAX_SENTENCES = 3;

/**
 * The built-in model's reply. With knowledge, it answers from the best passage (a Q&A answer verbatim, else
 * the passage's most relevant sentences), welcomes a greeting with the topics it knows, and says so when
 * nothing matches. Without knowledge, it says what the bot is and how to connect a real model.
 */
export function composeLocalReply(input: LocalReplyInput): string {
  if (input.knowledge) return composeKnowledgeReply(input, input.knowledge);
  const opening = GREETING.test(input.message)
    ? `Hello! I'm ${input.chatbotName}, a chatbot running on PollyBot.`
    : `Thanks for your message. I'm ${input.chatbotName}, a chatbot running on PollyBot.`;
  return [
    opening,
    "Right now I answer with PollyBot's built-in `local` model, which works offline and needs no AI provider, " +
      'so I can confirm that your API calls, streaming, conversations, rate limits and credits all work, ' +
      'but I cannot write free-form answers yet.',
    'To give me a real model: set OPENAI_API_KEY (or OPENAI_BASE_URL for any OpenAI-compatible server such as ' +
      'vLLM, LM Studio or llama.cpp), ANTHROPIC_API_KEY, or run Ollama locally; restart PollyBot; then update ' +
      'this chatbot with `PATCH /api/v1/chatbots/{id}` and a body such as {"model": "openai/gpt-4o-mini"}.',
    'The API reference is served at /docs.',
  ].join(' ');
}

function listTopics(topics: string[]): string {
  if (topics.length <= 1) return topics[0] ?? 'the content I was given';
  return `${topics.slice(0, -1).join(', ')} and ${topics.at(-1)}`;
}

/** A greeting with little else in it ("Hi!", "Hello there"), or a question about what the bot can do. */
function isWelcomeRequest(message: string): boolean {
  if (CAPABILITIES.test(message)) return true;
  if (!GREETING.test(message)) return false;
  return extractSearchTerms(message.replace(GREETING, '')).filter((term) => term !== 'there').length === 0;
}

function composeKnowledgeReply(input: LocalReplyInput, knowledge: ChatKnowledge): string {
  if (isWelcomeRequest(input.message)) {
    return (
      `Hello! I'm ${input.chatbotName}. I can answer questions about ${listTopics(knowledge.topics)}. ` +
      'What would you like to know?'
    );
  }
  const best = knowledge.passages[0];
  if (!best) {
    return (
      knowledge.fallbackMessage ??
      "I'm sorry, I couldn't find anything about that in what I know. " +
        `I can answer questions about ${listTopics(knowledge.topics)}.`
    );
  }
  return answerFrom(best, input.message);
}

function answerFrom(passage: KnowledgePassage, message: string): string {
  if (passage.kind === 'qa') {
    const answer = /\nA: ([\s\S]*)$/.exec(passage.content)?.[1];
    if (answer) return answer.trim();
  }
  const terms = new Set(extractSearchTerms(message).map(stem));
  const sentences = splitSentences(passage.content);
  const scored = sentences.map((sentence, index) => ({
    index,
    sentence,
    score: extractSearchTerms(sentence).filter((word) => terms.has(stem(word))).length,
  }));
  const relevant = scored
    .filter((entry) => entry.score > 0)
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .slice(0, MAX_SENTENCES)
    .sort((a, b) => a.index - b.index)
    .map((entry) => entry.sentence);
  return joinSentences(relevant.length > 0 ? relevant : sentences.slice(0, MAX_SENTENCES));
}
