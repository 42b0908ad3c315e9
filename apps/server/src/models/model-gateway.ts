import { createAnthropic } from '@ai-sdk/anthropic';
import type { LanguageModelV3, LanguageModelV3Prompt } from '@ai-sdk/provider';
import { retryWithExponentialBackoff } from '@ai-sdk/provider-utils';
import type { ModelProvider } from '@pollybot/contracts';
import { APICallError, RetryError } from 'ai';
import { createOllama } from 'ollama-ai-provider-v2';
import type { Config } from '../config.ts';
import { AppError } from '../errors/app-error.ts';
import { toAnthropicBaseUrl } from './anthropic-base-url.ts';
import { type ChatKnowledge, createLocalModel, estimateTokens, type LocalResponder } from './local-model.ts';
import { createOllamaFetch } from './ollama-fetch.ts';
import {
  type ChatMessage,
  createOpenAiChatStream,
  OPENAI_DEFAULT_BASE_URL,
  type ProviderPart,
  type ProviderUsage,
} from './openai-chat-stream.ts';

type ChatTurnPrompt = {
  chatbotName: string;
  instructions: string;
  history: { role: 'user' | 'assistant'; content: string }[];
  message: string;
  /** The chatbot's knowledge for this message; real models read it in `instructions`, the local model here. */
  knowledge?: ChatKnowledge | undefined;
};

type GenerationSettings = { temperature: number; maxTokens: number };

type TokenUsage = { inputTokens: number; outputTokens: number };

/** How a generation ended: a value the caller decides on, never an exception. */
type GenerationOutcome =
  | { kind: 'complete'; text: string; usage: TokenUsage }
  | { kind: 'aborted'; text: string; usage: TokenUsage }
  | { kind: 'failed'; text: string; error: AppError };

type GenerateOptions = {
  model: string;
  prompt: ChatTurnPrompt;
  settings: GenerationSettings;
  /** Aborts the provider call (a client that went away). */
  signal?: AbortSignal | undefined;
  onDelta?: (text: string) => void;
};

/** The one door to AI providers. */
export type ModelGateway = {
  /** Why a model cannot be used on this server, or undefined when it can. */
  whyUnavailable: (model: string) => string | undefined;
  generate: (options: GenerateOptions) => Promise<GenerationOutcome>;
  configuredProviders: () => ModelProvider[];
};

/** One provider call: what the turn sends, and the signal that aborts it. */
type ModelCall = { prompt: ChatTurnPrompt; settings: GenerationSettings; signal: AbortSignal };

/** Starts a model's reply: resolves with its parts once the provider accepted the call, or rejects. */
type ModelStreamer = (name: string, call: ModelCall) => Promise<AsyncIterable<ProviderPart>>;

function splitModel(model: string): { provider: string; name: string } {
  const slash = model.indexOf('/');
  return { provider: model.slice(0, slash), name: model.slice(slash + 1) };
}

/** An AI SDK model's stream (LanguageModelV3.doStream), read as provider parts. */
function streamFromAiSdk(factory: (name: string) => LanguageModelV3): ModelStreamer {
  return async (name, { prompt, settings, signal }) => {
    const { stream } = await factory(name).doStream({
      prompt: toModelPrompt(prompt),
      temperature: settings.temperature,
      maxOutputTokens: settings.maxTokens,
      abortSignal: signal,
      providerOptions: {
        local: {
          chatbotName: prompt.chatbotName,
          ...(prompt.knowledge ? { knowledge: prompt.knowledge } : {}),
        },
        // Ollama reads sampling settings only from `options`.
        ollama: { options: { temperature: settings.temperature, num_predict: settings.maxTokens } },
      },
    });
    return (async function* () {
      for await (const part of stream) {
        if (part.type === 'text-delta') {
          if (part.delta) yield { type: 'text', text: part.delta };
        } else if (part.type === 'error') {
          yield { type: 'error', error: part.error };
        } else if (part.type === 'finish') {
          yield {
            type: 'finish',
            usage: { inputTokens: part.usage.inputTokens.total, outputTokens: part.usage.outputTokens.total },
          };
        }
      }
    })();
  };
}

function createStreamers(config: Config['providers'], respondLocally: LocalResponder) {
  const streamers: Partial<Record<ModelProvider, ModelStreamer>> = {
    local: streamFromAiSdk((name) => createLocalModel(name, respondLocally)),
    ollama: (() => {
      const ollama = createOllama({
        baseURL: `${config.ollama.baseUrl.replace(/\/+$/, '')}/api`,
        fetch: createOllamaFetch(),
      });
      return streamFromAiSdk((name) => ollama(name));
    })(),
  };
  if (config.openai.apiKey || config.openai.baseUrl) {
    // Chat Completions, not the Responses API: it is what every OpenAI-compatible server speaks. Servers that
    // speak the OpenAI protocol without keys still need some bearer value.
    const streamChat = createOpenAiChatStream({
      apiKey: config.openai.apiKey ?? 'not-needed',
      baseUrl: config.openai.baseUrl ?? OPENAI_DEFAULT_BASE_URL,
    });
    streamers.openai = (name, { prompt, settings, signal }) =>
      streamChat({
        model: name,
        messages: toChatMessages(prompt),
        temperature: settings.temperature,
        maxTokens: settings.maxTokens,
        signal,
      });
  }
  if (config.anthropic.apiKey) {
    const anthropic = createAnthropic({
      apiKey: config.anthropic.apiKey,
      baseURL: toAnthropicBaseUrl(config.anthropic.baseUrl),
    });
    streamers.anthropic = streamFromAiSdk((name) => anthropic(name));
  }
  return streamers;
}

const HINTS: Record<string, string> = {
  openai: 'set OPENAI_API_KEY (and OPENAI_BASE_URL for an OpenAI-compatible server)',
  anthropic: 'set ANTHROPIC_API_KEY',
};

/** The turn as Chat Completions messages: the instructions as the system message, then the conversation. */
function toChatMessages(prompt: ChatTurnPrompt): ChatMessage[] {
  const messages: ChatMessage[] = [];
  if (prompt.instructions) messages.push({ role: 'system', content: prompt.instructions });
  for (const turn of prompt.history) messages.push({ role: turn.role, content: turn.content });
  messages.push({ role: 'user', content: prompt.message });
  return messages;
}

/** The turn as the AI SDK providers' prompt: the same messages, their text as parts. */
function toModelPrompt(prompt: ChatTurnPrompt): LanguageModelV3Prompt {
  return toChatMessages(prompt).map(({ role, content }) =>
    role === 'system' ? { role, content } : { role, content: [{ type: 'text', text: content }] },
  );
}

/** A provider's own wait before a retry (Retry-After, in milliseconds, seconds or as a date), as the AI SDK reads it. */
function retryDelayMs({
  error,
  exponentialBackoffDelay,
}: {
  error: unknown;
  exponentialBackoffDelay: number;
}) {
  const headers = APICallError.isInstance(error) ? error.responseHeaders : undefined;
  const inMs = Number.parseFloat(headers?.['retry-after-ms'] ?? '');
  const after = headers?.['retry-after'];
  const inSeconds = Number.parseFloat(after ?? '');
  const asked = !Number.isNaN(inMs)
    ? inMs
    : !Number.isNaN(inSeconds)
      ? inSeconds * 1000
      : after
        ? Date.parse(after) - Date.now()
        : Number.NaN;
  return asked >= 0 && (asked < 60_000 || asked < exponentialBackoffDelay) ? asked : exponentialBackoffDelay;
}

function describeProviderError(error: unknown): string {
  const cause = error instanceof RetryError ? error.lastError : error;
  if (APICallError.isInstance(cause)) return `status ${cause.statusCode ?? 'none'}: ${cause.message}`;
  return cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
}

export function createModelGateway(
  config: Config['providers'],
  deps: { respondLocally: LocalResponder; onProviderError?: (detail: string) => void },
): ModelGateway {
  const streamers = createStreamers(config, deps.respondLocally);

  return {
    configuredProviders: () => Object.keys(streamers) as ModelProvider[],

    whyUnavailable(model) {
      const { provider, name } = splitModel(model);
      if (!name) return `model must look like <provider>/<model name>`;
      if (streamers[provider as ModelProvider]) return undefined;
      const hint = HINTS[provider];
      return hint
        ? `the ${provider} provider is not configured on this server: ${hint}`
        : `unknown provider "${provider}"`;
    },

    async generate({ model, prompt, settings, signal, onDelta }) {
      const { provider, name } = splitModel(model);
      const streamer = streamers[provider as ModelProvider];
      if (!streamer) {
        const reason = this.whyUnavailable(model) ?? 'unavailable';
        return {
          kind: 'failed',
          text: '',
          error: new AppError('AI_PROVIDER_ERROR', { message: `Model ${model}: ${reason}` }),
        };
      }

      // One controller aborts the call for a client that left or a provider that went silent.
      const controller = new AbortController();
      let timedOut = false;
      // Restarted by every part the provider sends.
      const idleTimer = setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, config.timeoutMs);
      const abortForClient = () => controller.abort();
      if (signal?.aborted) controller.abort();
      signal?.addEventListener('abort', abortForClient, { once: true });

      let text = '';
      let finished = false;
      let usage: ProviderUsage = { inputTokens: undefined, outputTokens: undefined };
      let failure: unknown;
      try {
        // The provider's stream, read part by part (docs/performance.md). Its retry (before any text, on an error
        // the provider calls retryable, honouring Retry-After) is the same as the AI SDK's streamText.
        const retry = retryWithExponentialBackoff({
          maxRetries: config.maxRetries,
          abortSignal: controller.signal,
          shouldRetry: (error) => APICallError.isInstance(error) && error.isRetryable,
          getDelayInMs: retryDelayMs,
          createRetryError: (details) => new RetryError(details),
        });
        const parts = await retry(() => streamer(name, { prompt, settings, signal: controller.signal }));
        for await (const part of parts) {
          idleTimer.refresh();
          if (part.type === 'text') {
            text += part.text;
            onDelta?.(part.text);
          } else if (part.type === 'error') {
            failure = part.error;
          } else {
            finished = true;
            usage = part.usage;
          }
        }
      } catch (error) {
        failure = error;
      } finally {
        clearTimeout(idleTimer);
        signal?.removeEventListener('abort', abortForClient);
      }

      // A count the provider did not send is estimated, never recorded as free.
      const counted = (): TokenUsage => ({
        inputTokens:
          usage.inputTokens ??
          estimateTokens(
            [prompt.instructions, ...prompt.history.map((turn) => turn.content), prompt.message].join('\n'),
          ),
        outputTokens: usage.outputTokens ?? estimateTokens(text),
      });
      if (timedOut) {
        deps.onProviderError?.(`${model}: no answer within ${config.timeoutMs} ms`);
        return { kind: 'failed', text, error: new AppError('AI_PROVIDER_TIMEOUT') };
      }
      if (signal?.aborted) return { kind: 'aborted', text, usage: counted() };
      if (failure !== undefined || !finished) {
        deps.onProviderError?.(
          `${model}: ${failure === undefined ? 'stream ended without finishing' : describeProviderError(failure)}`,
        );
        return { kind: 'failed', text, error: new AppError('AI_PROVIDER_ERROR') };
      }
      return { kind: 'complete', text, usage: counted() };
    },
  };
}
