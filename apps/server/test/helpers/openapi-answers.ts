import { request as httpRequest } from 'node:http';
import { readSseText } from '@pollybot/contracts/sse-reader';
import type { createSchemaChecker, OpenApiOperation } from './openapi.ts';

// Raw HTTP exchanges judged by the OpenAPI document: the status documented, the body (JSON, or each event of a
// stream) matching its schema, the headers the contract promises.

export type RawRequest = {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
};
export type RawResponse = {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
};

/** Sends a request verbatim (no path normalisation), reading the whole answer; a stream must end on its own. */
export function sendVerbatim(baseUrl: string, request: RawRequest): Promise<RawResponse> {
  const { port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      { host: '127.0.0.1', port, method: request.method, path: request.path, headers: request.headers },
      (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('end', () =>
          resolve({
            status: incoming.statusCode ?? 0,
            headers: incoming.headers,
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        incoming.on('error', reject);
      },
    );
    outgoing.setTimeout(15_000, () => outgoing.destroy(new Error('no complete answer within 15 s')));
    outgoing.on('error', reject);
    outgoing.end(request.body);
  });
}

/** The events of a text/event-stream body, as {id, event, data}; comments (`: ping`) left out. */
function parseEvents(text: string): unknown[] {
  return readSseText(text).flatMap((read) => {
    if ('comment' in read) return [];
    let data: unknown = read.data;
    try {
      data = JSON.parse(read.data);
    } catch {}
    return [{ id: read.id, event: read.event, data }];
  });
}

/** What is wrong with an answer, by the document; empty when nothing is. */
export function findAnswerProblems(
  operation: OpenApiOperation,
  request: RawRequest,
  response: RawResponse,
  check: ReturnType<typeof createSchemaChecker>,
): string[] {
  const problems: string[] = [];
  const documented = operation.responses[String(response.status)];
  if (response.status >= 500 && response.status !== 502 && response.status !== 504)
    problems.push(`answered ${response.status}: ${response.text.slice(0, 300)}`);
  if (!documented)
    return [
      ...problems,
      `answered ${response.status}, which it does not document: ${response.text.slice(0, 300)}`,
    ];
  const requestId = request.headers['X-Request-Id'];
  if (!response.headers['x-request-id']) problems.push('no X-Request-Id');
  else if (
    requestId &&
    /^[A-Za-z0-9._:-]{1,128}$/.test(requestId) &&
    response.headers['x-request-id'] !== requestId
  )
    problems.push(`X-Request-Id ${requestId} was not echoed (${response.headers['x-request-id']})`);
  if (response.status === 429) {
    const retryAfter = String(response.headers['retry-after']);
    const body = safeParse(response.text) as { retryAfter?: unknown; error?: unknown };
    // The native envelope repeats it as retryAfter; OpenAI's error object (the /api/openai door) has no such field.
    const isOpenAiError = typeof body.error === 'object' && body.error !== null;
    if (!/^[1-9]\d*$/.test(retryAfter) || (!isOpenAiError && body.retryAfter !== Number(retryAfter)))
      problems.push(
        `429 whose Retry-After (${retryAfter}) is not the body's retryAfter (${body.retryAfter})`,
      );
  }
  for (const [name, header] of Object.entries(documented.headers ?? {})) {
    const value = response.headers[name.toLowerCase()];
    if (value === undefined) continue;
    const parsed = header.schema.type === 'integer' ? Number(value) : value;
    const errors = check(header.schema, parsed);
    if (errors) problems.push(`header ${name}: ${value}: ${errors}`);
  }
  const mediaType =
    String(response.headers['content-type'] ?? '')
      .split(';')[0]
      ?.trim() ?? '';
  if (!documented.content) {
    if (response.text !== '')
      problems.push(`a body where none is documented: ${response.text.slice(0, 200)}`);
    return problems;
  }
  const media = documented.content[mediaType];
  if (!media)
    return [...problems, `content type ${mediaType || '(none)'} is not documented for ${response.status}`];
  const values = mediaType === 'text/event-stream' ? parseEvents(response.text) : [safeParse(response.text)];
  for (const value of values) {
    const errors = check(media.schema, value);
    if (errors)
      problems.push(
        `${response.status} ${mediaType} breaks its schema: ${errors}: ${JSON.stringify(value).slice(0, 300)}`,
      );
  }
  return problems;
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
