import { once } from 'node:events';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

type AnthropicRequest = {
  headers: IncomingMessage['headers'];
  body: {
    model: string;
    max_tokens: number;
    temperature?: number;
    stream?: boolean;
    system?: { type: 'text'; text: string }[] | string;
    messages: { role: string; content: string | { type: string; text: string }[] }[];
  };
};

/**
 * An Anthropic Messages API server on loopback: `POST /v1/messages` answered with the real event
 * stream (message_start, content_block_*, message_delta, message_stop) or an error status.
 */
export async function startFakeAnthropic() {
  const requests: AnthropicRequest[] = [];
  const state = { text: 'Hello from Claude.', status: 200 };
  const server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    if (request.method !== 'POST' || request.url !== '/v1/messages') {
      // As Anthropic answers a path it does not serve.
      response.writeHead(404, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({ type: 'error', error: { type: 'not_found_error', message: 'Not found' } }),
      );
      return;
    }
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as AnthropicRequest['body'];
    requests.push({ headers: request.headers, body });
    if (state.status !== 200) {
      response.writeHead(state.status, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }),
      );
      return;
    }
    const words = state.text.match(/\s*\S+\s*/g) ?? [];
    const send = (event: string, data: unknown) =>
      response.write(`event: ${event}\ndata: ${JSON.stringify({ type: event, ...(data as object) })}\n\n`);
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    send('message_start', {
      message: {
        id: 'msg_fake',
        type: 'message',
        role: 'assistant',
        content: [],
        model: body.model,
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: 21, output_tokens: 1 },
      },
    });
    send('content_block_start', { index: 0, content_block: { type: 'text', text: '' } });
    for (const word of words)
      send('content_block_delta', { index: 0, delta: { type: 'text_delta', text: word } });
    send('content_block_stop', { index: 0 });
    send('message_delta', {
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage: { output_tokens: words.length },
    });
    send('message_stop', {});
    response.end();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    /** The server's root, as ANTHROPIC_BASE_URL may name it; the `/v1` form is `${rootUrl}/v1`. */
    rootUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    requests,
    state,
    close: async () => {
      server.close();
      server.closeAllConnections();
      await once(server, 'close');
    },
  };
}
