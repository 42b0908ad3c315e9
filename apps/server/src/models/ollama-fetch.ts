// Ollama streams NDJSON. A line {"error": ...} or a stream that ends without a line carrying
// `done: true` is a failure, though the provider package passes both through as an ordinary end.
// This fetch wrapper turns both into a stream error, which the AI SDK reports as a failed call.

class OllamaStreamError extends Error {
  override name = 'OllamaStreamError';
}

function guardNdjson(body: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  const decoder = new TextDecoder();
  let pending = '';
  let sawDone = false;
  const inspect = (line: string) => {
    if (!line.trim()) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      return;
    }
    if (value && typeof value === 'object') {
      if ('error' in value) throw new OllamaStreamError(`Ollama reported an error: ${String(value.error)}`);
      if ('done' in value && value.done === true) sawDone = true;
    }
  };
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        pending += decoder.decode(chunk, { stream: true });
        const lines = pending.split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) inspect(line);
        controller.enqueue(chunk);
      },
      flush() {
        inspect(pending + decoder.decode());
        if (!sawDone) throw new OllamaStreamError('Ollama ended the stream without done: true');
      },
    }),
  );
}

/** A fetch for the Ollama provider that fails streams Ollama did not finish. */
export function createOllamaFetch(baseFetch: typeof fetch = fetch): typeof fetch {
  return async (input, init) => {
    const response = await baseFetch(input, init);
    const isStream = typeof init?.body === 'string' && /"stream"\s*:\s*true/.test(init.body);
    if (!response.ok || !response.body || !isStream) return response;
    return new Response(guardNdjson(response.body), {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}
