import type { IncomingMessage, ServerResponse } from 'node:http';

/** What a fake provider received, and whether the client hung up before the answer was complete. */
export type RecordedRequest<Body> = {
  path: string;
  headers: IncomingMessage['headers'];
  body: Body;
  clientAborted: boolean;
};

/**
 * Reads a fake provider's JSON request and records it; `finish()` marks the answer complete, so a
 * connection closed before it counts as the client aborting the call.
 */
export async function recordRequest<Body>(
  requests: RecordedRequest<Body>[],
  request: IncomingMessage,
  response: ServerResponse,
): Promise<{ received: RecordedRequest<Body>; finish: () => void }> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const received: RecordedRequest<Body> = {
    path: request.url ?? '',
    headers: request.headers,
    body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Body,
    clientAborted: false,
  };
  requests.push(received);
  let finished = false;
  response.on('close', () => {
    if (!finished) received.clientAborted = true;
  });
  const finish = () => {
    finished = true;
  };
  return { received, finish };
}
