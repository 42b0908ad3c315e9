import { readSseText } from '@pollybot/contracts/sse-reader';

/** The OpenAI-compatible base URL of a test server. */
export const openAiBaseUrl = (baseUrl: string) => `${baseUrl}/api/openai/v1`;

/** POSTs a Chat Completions body to the door, with a key and any headers, answering the raw Response. */
export function postCompletion(
  baseUrl: string,
  apiKey: string | undefined,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(`${openAiBaseUrl(baseUrl)}/chat/completions`, {
    method: 'POST',
    headers: {
      ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
      'content-type': 'application/json',
      ...headers,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** The `data:` lines of a text/event-stream body, each parsed as JSON except `[DONE]`; comments left out. */
export function readDataLines(text: string): unknown[] {
  return readSseText(text).flatMap((read) => {
    if ('comment' in read) return [];
    return [read.data === '[DONE]' ? '[DONE]' : JSON.parse(read.data)];
  });
}

/** A response's JSON body, read freely: the tests assert its shape. */
// biome-ignore lint/suspicious/noExplicitAny: tests read response bodies freely and assert their shape
export const readJson = async (response: Response): Promise<any> => response.json();
