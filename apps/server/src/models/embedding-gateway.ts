import { createOpenAI } from '@ai-sdk/openai';
import type { EmbeddingModelV3 } from '@ai-sdk/provider';
import { APICallError, embedMany, RetryError } from 'ai';
import { createOllama } from 'ollama-ai-provider-v2';
import { AppError } from '../errors/app-error.ts';
import {
  createLocalEmbeddingModel,
  LOCAL_EMBEDDING_MODEL,
  LocalEmbeddingError,
} from './local-embedding-model.ts';

/** Turns texts into unit-length vectors, so the cosine of two of them is their dot product. */
export type EmbeddingService = {
  /** `<provider>/<model>`, stored with each embedding: vectors of different models are never compared. */
  modelId: string;
  embed(texts: string[], signal?: AbortSignal): Promise<Float32Array[]>;
};

export type EmbeddingProviders = { openaiApiKey?: string; openaiBaseUrl?: string; ollamaBaseUrl?: string };

export type EmbeddingOptions = {
  /** One embed call (all its requests) fails with AI_PROVIDER_TIMEOUT past this. */
  timeoutMs?: number;
  maxRetries?: number;
};

const ACCEPTED_FORMS = [
  `local/${LOCAL_EMBEDDING_MODEL} (offline, bundled)`,
  'openai/<model> (e.g. openai/text-embedding-3-small; OPENAI_BASE_URL for a compatible server)',
  'ollama/<model> (e.g. ollama/nomic-embed-text, at OLLAMA_BASE_URL)',
];

// Remote providers take many texts per request; a few requests at a time keep a large ingestion from
// crowding out the chat requests that embed one question each.
const MAX_PARALLEL_CALLS = 2;

function createEmbeddingModel(
  provider: string,
  name: string,
  providers: EmbeddingProviders,
): EmbeddingModelV3 {
  switch (provider) {
    case 'local':
      return createLocalEmbeddingModel(name);
    case 'openai':
      // Servers that speak the OpenAI protocol without keys still need some bearer value.
      return createOpenAI({
        apiKey: providers.openaiApiKey ?? 'not-needed',
        baseURL: providers.openaiBaseUrl,
      }).embedding(name);
    case 'ollama':
      return createOllama({
        baseURL: `${(providers.ollamaBaseUrl ?? 'http://127.0.0.1:11434').replace(/\/+$/, '')}/api`,
      }).embedding(name);
    default:
      throw new Error(`unknown provider "${provider}"`);
  }
}

function toUnitVector(values: readonly number[]): Float32Array {
  const vector = Float32Array.from(values);
  let sumOfSquares = 0;
  for (const value of vector) sumOfSquares += value * value;
  // A zero vector stays zero: similar to nothing, rather than NaN everywhere.
  if (sumOfSquares === 0 || !Number.isFinite(sumOfSquares)) return vector;
  const scale = 1 / Math.sqrt(sumOfSquares);
  for (let index = 0; index < vector.length; index++) vector[index] = (vector[index] as number) * scale;
  return vector;
}

/** A provider failure in safe words: its status, never its body (which may echo keys or input). */
function describeFailure(error: unknown): string {
  const cause = error instanceof RetryError ? error.lastError : error;
  if (APICallError.isInstance(cause)) {
    return cause.statusCode
      ? `the provider answered with status ${cause.statusCode}`
      : 'the provider could not be reached';
  }
  // The offline model's own errors hold no one's secrets.
  if (cause instanceof LocalEmbeddingError) return cause.message;
  return cause instanceof Error ? cause.name : 'unknown failure';
}

/**
 * The embedding model named by `spec` (`<provider>/<model>`), or undefined when none is configured.
 * Throws, naming the accepted forms, when the spec is malformed or its provider unknown.
 */
export function createEmbeddingService(
  spec: string | undefined,
  providers: EmbeddingProviders,
  options: EmbeddingOptions = {},
): EmbeddingService | undefined {
  if (spec === undefined || spec.trim() === '') return undefined;
  const slash = spec.indexOf('/');
  const provider = spec.slice(0, slash);
  const name = spec.slice(slash + 1);
  let model: EmbeddingModelV3;
  try {
    if (slash <= 0 || !name) throw new Error('it must look like <provider>/<model>');
    model = createEmbeddingModel(provider, name, providers);
  } catch (error) {
    throw new Error(
      `Embedding model "${spec}": ${error instanceof Error ? error.message : String(error)}. Accepted: ${ACCEPTED_FORMS.join('; ')}`,
    );
  }
  const timeoutMs = options.timeoutMs ?? 60_000;
  const maxRetries = options.maxRetries ?? 1;

  return {
    modelId: spec,
    async embed(texts, signal) {
      if (texts.length === 0) return [];
      const timeout = AbortSignal.timeout(timeoutMs);
      try {
        const { embeddings } = await embedMany({
          model,
          values: texts,
          maxParallelCalls: MAX_PARALLEL_CALLS,
          maxRetries,
          abortSignal: signal ? AbortSignal.any([signal, timeout]) : timeout,
        });
        return embeddings.map(toUnitVector);
      } catch (error) {
        // The caller's own abort is not a provider failure: hand back its reason untouched.
        if (signal?.aborted) throw signal.reason;
        if (timeout.aborted) {
          throw new AppError('AI_PROVIDER_TIMEOUT', {
            message: `${spec}: no answer within ${timeoutMs} ms`,
            cause: error,
          });
        }
        throw new AppError('AI_PROVIDER_ERROR', {
          message: `${spec}: ${describeFailure(error)}`,
          cause: error,
        });
      }
    },
  };
}
