import type { LocalReplyInput } from '../../models/local-model.ts';

const GREETING = /^\s*(hi|hello|hey|good (morning|afternoon|evening)|howdy|greetings)\b/i;

/**
 * The built-in model's reply while a chatbot has no knowledge to answer from: it says what the bot is,
 * that it runs on PollyBot's offline model, and how to connect a real one.
 */
export function composeLocalReply(input: LocalReplyInput): string {
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
