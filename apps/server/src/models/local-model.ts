import type { LanguageModelV3, LanguageModelV3Prompt, LanguageModelV3StreamPart } from '@ai-sdk/provider';

/** A passage of the chatbot's knowledge that matched the user's message. */
export type KnowledgePassage = {
  sourceId: string;
  kind: 'text' | 'qa' | 'file' | 'url';
  title: string;
  heading: string | null;
  content: string;
  /** For a passage of an imported web page: its address and title. */
  url?: string | null;
  pageTitle?: string | null;
};

/**
 * What the chatbot knows: the titles of its sources, the passages relevant to this message (best first;
 * empty when nothing is relevant enough) and what to say then (null for the built-in wording).
 */
export type ChatKnowledge = {
  topics: string[];
  passages: KnowledgePassage[];
  fallbackMessage: string | null;
};

/** What the built-in model knows of the conversation it answers. */
export type LocalReplyInput = {
  chatbotName: string;
  instructions: string;
  message: string;
  history: { role: 'user' | 'assistant'; content: string }[];
  /** Present when the chatbot has knowledge to answer from. */
  knowledge?: ChatKnowledge | undefined;
};

/** Composes the built-in model's reply. The seam where answering from knowledge plugs in. */
export type LocalResponder = (input: LocalReplyInput) => Promise<string> | string;

/** Options the caller passes through `providerOptions.local`. */
type LocalProviderOptions = { chatbotName: string; knowledge?: ChatKnowledge };

const textOf = (content: LanguageModelV3Prompt[number]['content']): string =>
  typeof content === 'string'
    ? content
    : content.map((part) => ('text' in part && typeof part.text === 'string' ? part.text : '')).join('');

/** Splits a reply into word-sized pieces so the built-in model streams the way real ones do. */
export function splitIntoDeltas(text: string): string[] {
  return text.match(/\s*\S+\s*/g) ?? (text ? [text] : []);
}

/** Roughly four characters a token: the usual estimate where no tokenizer is at hand. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

function readInput(
  prompt: LanguageModelV3Prompt,
  chatbotName: string,
  knowledge: ChatKnowledge | undefined,
): LocalReplyInput {
  const instructions = prompt
    .filter((message) => message.role === 'system')
    .map((message) => textOf(message.content))
    .join('\n');
  const turns = prompt.flatMap((message) =>
    message.role === 'user' || message.role === 'assistant'
      ? [{ role: message.role, content: textOf(message.content) }]
      : [],
  );
  const last = turns.pop();
  return { chatbotName, instructions, message: last?.content ?? '', history: turns, knowledge };
}

/** The built-in `local` model: an AI SDK language model that needs no network. */
export function createLocalModel(modelId: string, respond: LocalResponder): LanguageModelV3 {
  const run = async (options: Parameters<LanguageModelV3['doStream']>[0]) => {
    const local = options.providerOptions?.local as LocalProviderOptions | undefined;
    const text = await respond(
      readInput(options.prompt, local?.chatbotName ?? 'this chatbot', local?.knowledge),
    );
    const inputText = options.prompt.map((message) => textOf(message.content)).join('\n');
    const usage = {
      inputTokens: {
        total: estimateTokens(inputText),
        noCache: undefined,
        cacheRead: undefined,
        cacheWrite: undefined,
      },
      outputTokens: { total: estimateTokens(text), text: undefined, reasoning: undefined },
    };
    return { text, usage };
  };

  return {
    specificationVersion: 'v3',
    provider: 'local',
    modelId,
    supportedUrls: {},
    async doGenerate(options) {
      const { text, usage } = await run(options);
      return {
        content: [{ type: 'text', text }],
        finishReason: { unified: 'stop', raw: 'stop' },
        usage,
        warnings: [],
      };
    },
    async doStream(options) {
      const { text, usage } = await run(options);
      const parts: LanguageModelV3StreamPart[] = [
        { type: 'stream-start', warnings: [] },
        { type: 'text-start', id: 'text' },
        ...splitIntoDeltas(text).map(
          (delta): LanguageModelV3StreamPart => ({ type: 'text-delta', id: 'text', delta }),
        ),
        { type: 'text-end', id: 'text' },
        { type: 'finish', finishReason: { unified: 'stop', raw: 'stop' }, usage },
      ];
      const stream = new ReadableStream<LanguageModelV3StreamPart>({
        start(controller) {
          for (const part of parts) controller.enqueue(part);
          controller.close();
        },
      });
      return { stream };
    },
  };
}
