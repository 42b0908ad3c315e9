import { APICallError } from '@ai-sdk/provider';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { Agent, request, errors as undiciErrors } from 'undici';

// OpenAI's Chat Completions, streamed, for `openai/*` models (OpenAI and every server that speaks its
// protocol). The reply is read from undici's Node stream and parsed with eventsource-parser, part by part,
// instead of through the AI SDK provider's fetch, web streams and per-chunk schema validation: that pipeline
// cost more CPU per reply than the rest of a chat turn together (docs/decisions/0008-openai-chat-stream.md).
// Failures are the AI SDK's own APICallError, so retries and logging treat both paths alike.

/** What a provider stream yields, whichever client reads it. */
export type ProviderPart =
  | { type: 'text'; text: string }
  | { type: 'error'; error: unknown }
  /** The end of the reply, with the provider's token counts (undefined where it sent none). */
  | { type: 'finish'; usage: ProviderUsage };

export type ProviderUsage = { inputTokens: number | undefined; outputTokens: number | undefined };

export type ChatMessage = { role: 'system' | 'user' | 'assistant'; content: string };

export type OpenAiChatCall = {
  model: string;
  messages: ChatMessage[];
  temperature: number;
  maxTokens: number;
  signal: AbortSignal;
};

type CompletionChunk = {
  choices?: { delta?: { content?: string | null } | null; finish_reason?: string | null }[];
  usage?: { prompt_tokens?: number; completion_tokens?: number } | null;
  error?: { message?: string };
};

export const OPENAI_DEFAULT_BASE_URL = 'https://api.openai.com/v1';

/**
 * OpenAI's reasoning models (the o-series, GPT-5 and later but their chat variants) take the instructions as
 * a `developer` message, refuse `temperature` and count `max_completion_tokens`: the AI SDK's rule.
 */
export function isReasoningModel(model: string): boolean {
  if (/^o\d+(?:-|$)/.test(model)) return true;
  const gpt = /^gpt-(\d+)(?:\.(\d+))?(?:-(.+))?$/.exec(model);
  if (!gpt) return false;
  const isChatVariant = gpt[2] === undefined && (gpt[3]?.startsWith('chat') ?? false);
  return Number(gpt[1]) >= 5 && !isChatVariant;
}

/** The request body of a streamed Chat Completion. */
export function toChatCompletionBody(call: Omit<OpenAiChatCall, 'signal'>): Record<string, unknown> {
  const reasoning = isReasoningModel(call.model);
  return {
    model: call.model,
    messages: reasoning
      ? call.messages.map((message) =>
          message.role === 'system' ? { role: 'developer', content: message.content } : message,
        )
      : call.messages,
    ...(reasoning
      ? { max_completion_tokens: call.maxTokens }
      : { temperature: call.temperature, max_tokens: call.maxTokens }),
    stream: true,
    stream_options: { include_usage: true },
  };
}

function headersOf(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

/** The provider's own words for a failed call (for the log only; never shown to API clients). */
function messageOf(body: string, statusCode: number): string {
  try {
    const parsed = JSON.parse(body) as { error?: { message?: unknown } };
    if (typeof parsed.error?.message === 'string') return parsed.error.message;
  } catch {}
  return `HTTP ${statusCode}`;
}

const isAbort = (error: unknown) =>
  error instanceof Error &&
  (error.name === 'AbortError' || error instanceof undiciErrors.RequestAbortedError);

/**
 * Starts a streamed Chat Completion. Resolves once the provider answered 200 with the reply's parts, or
 * rejects with an APICallError (retryable for 408, 409, 429, 5xx and failed connections, as the AI SDK's).
 */
export function createOpenAiChatStream(config: { baseUrl: string; apiKey: string }) {
  const url = `${config.baseUrl.replace(/\/+$/, '')}/chat/completions`;
  // Keep-alive connections to the provider, reused across replies; idle time is watched by the caller.
  const dispatcher = new Agent({ keepAliveTimeout: 30_000, headersTimeout: 0, bodyTimeout: 0 });
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${config.apiKey}` };

  return async function streamChat(call: OpenAiChatCall): Promise<AsyncIterable<ProviderPart>> {
    const requestBodyValues = toChatCompletionBody(call);
    let response: Awaited<ReturnType<typeof request>>;
    try {
      response = await request(url, {
        method: 'POST',
        dispatcher,
        headers,
        body: JSON.stringify(requestBodyValues),
        signal: call.signal,
      });
    } catch (error) {
      if (isAbort(error)) throw error;
      throw new APICallError({
        message: `Cannot connect to API: ${error instanceof Error ? error.message : String(error)}`,
        cause: error,
        url,
        requestBodyValues,
        isRetryable: true,
      });
    }
    if (response.statusCode !== 200) {
      const responseBody = await response.body.text().catch(() => '');
      throw new APICallError({
        message: messageOf(responseBody, response.statusCode),
        url,
        requestBodyValues,
        statusCode: response.statusCode,
        responseHeaders: headersOf(response.headers),
        responseBody,
      });
    }
    return readParts(response.body);
  };
}

/**
 * The parts of a Chat Completions event stream: text as it comes, an `error` part for an error chunk, and
 * `finish` once the reply ended (`[DONE]`, or a finish reason). A stream that closes without either is cut
 * short: it yields no `finish`, and the caller fails it. The body is read to its end, never dropped after
 * `[DONE]`: leaving it unread would close the keep-alive connection.
 */
async function* readParts(body: AsyncIterable<Buffer>): AsyncGenerator<ProviderPart> {
  let pending: ProviderPart[] = [];
  let finished = false;
  let sawFinishReason = false;
  let usage: ProviderUsage = { inputTokens: undefined, outputTokens: undefined };
  const onEvent = (event: EventSourceMessage) => {
    if (finished) return;
    if (event.data === '[DONE]') {
      finished = true;
      return;
    }
    let chunk: CompletionChunk;
    try {
      chunk = JSON.parse(event.data) as CompletionChunk;
    } catch (error) {
      pending.push({ type: 'error', error });
      return;
    }
    if (chunk.error) {
      pending.push({ type: 'error', error: new Error(chunk.error.message ?? 'error chunk') });
      return;
    }
    const choice = chunk.choices?.[0];
    const content = choice?.delta?.content;
    if (typeof content === 'string' && content.length > 0) pending.push({ type: 'text', text: content });
    if (choice?.finish_reason) sawFinishReason = true;
    if (chunk.usage) {
      usage = { inputTokens: chunk.usage.prompt_tokens, outputTokens: chunk.usage.completion_tokens };
    }
  };
  const parser = createParser({ onEvent });
  // Multi-byte characters may be split between network chunks.
  const decoder = new TextDecoder();
  for await (const bytes of body) {
    parser.feed(decoder.decode(bytes, { stream: true }));
    if (pending.length > 0) {
      const parts = pending;
      pending = [];
      yield* parts;
    }
  }
  if (finished || sawFinishReason) yield { type: 'finish', usage };
}
