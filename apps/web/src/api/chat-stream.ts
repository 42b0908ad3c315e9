import { readSseStream, toChatStreamEvent } from '@pollybot/contracts/sse-reader';
import { chatbotPath } from './chatbots.ts';
import { requestHeaders, toApiError } from './client.ts';
import type { ChatStreamEvent } from './types.ts';

/** Receives each event of a reply's stream with its SSE id (what `Last-Event-ID` resumes after). */
type OnStreamEvent = (event: ChatStreamEvent, id: string | undefined) => void;

export interface StreamChatInput {
  chatbotId: string;
  message: string;
  conversationId?: string;
  metadata?: Record<string, unknown>;
  signal?: AbortSignal;
  onEvent: OnStreamEvent;
  /** Where the server is; the page's own origin when left out. */
  origin?: string;
}

/**
 * Sends a message with `stream: true` as an API client would and reports each event as it is read
 * from the response body. A failure before the stream starts is thrown as an ApiError; one after it
 * arrives as an `error` event. A stream cut without its terminal event is reported as an `error` too.
 */
export async function streamChat(input: StreamChatInput): Promise<void> {
  const body = {
    message: input.message,
    stream: true,
    ...(input.conversationId ? { conversationId: input.conversationId } : {}),
    ...(input.metadata ? { metadata: input.metadata } : {}),
  };
  const path = chatbotPath(input.chatbotId, 'chat');
  const response = await fetch(`${input.origin ?? ''}${path}`, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { ...requestHeaders('POST', true), Accept: 'text/event-stream' },
    body: JSON.stringify(body),
    signal: input.signal,
  });
  if (!response.ok) throw await toApiError(response);
  await readReplyStream(response, input.onEvent);
}

export interface FollowReplyInput {
  chatbotId: string;
  conversationId: string;
  messageId: string;
  /** The id of the last event already received; the whole stream from `start` when left out. */
  lastEventId?: string;
  signal?: AbortSignal;
  onEvent: OnStreamEvent;
  /** Where the server is; the page's own origin when left out. */
  origin?: string;
}

/**
 * Reconnects to a reply's stream (`GET .../messages/{id}/stream` with `Last-Event-ID`): the events missed,
 * then the rest as it is generated. Answers false when the server says every event was received already (204).
 */
export async function followReply(input: FollowReplyInput): Promise<boolean> {
  const path = chatbotPath(
    input.chatbotId,
    'conversations',
    input.conversationId,
    'messages',
    input.messageId,
    'stream',
  );
  const response = await fetch(`${input.origin ?? ''}${path}`, {
    method: 'GET',
    credentials: 'same-origin',
    headers: {
      ...requestHeaders('GET', false),
      Accept: 'text/event-stream',
      ...(input.lastEventId ? { 'Last-Event-ID': input.lastEventId } : {}),
    },
    signal: input.signal,
  });
  if (!response.ok) throw await toApiError(response);
  if (response.status === 204) return false;
  await readReplyStream(response, input.onEvent);
  return true;
}

/** Reports a reply stream's events up to its terminal one; a stream cut before it ends with an `error` event. */
async function readReplyStream(response: Response, onEvent: OnStreamEvent): Promise<void> {
  let isFinished = false;
  const deliver = (event: ChatStreamEvent, id: string | undefined) => {
    if (isFinished) return;
    if (event.event === 'done' || event.event === 'error') isFinished = true;
    onEvent(event, id);
  };
  if (!response.headers.get('content-type')?.includes('text/event-stream') || !response.body) {
    // The server answered with one JSON reply (it should not for stream: true, but be forgiving): it is read
    // as the data of the done event it stands for, checked as one.
    const event = toChatStreamEvent({ event: 'done', data: await response.text() });
    if (event) deliver(event, undefined);
  } else {
    for await (const message of readSseStream(response.body)) {
      const event = toChatStreamEvent(message);
      if (event) deliver(event, message.id);
      // Leaving the loop cancels the body's reader.
      if (isFinished) break;
    }
  }
  if (!isFinished) {
    deliver(
      {
        event: 'error',
        data: {
          success: false,
          code: 'STREAM_INTERRUPTED',
          error: 'The connection closed before the reply finished.',
        },
      },
      undefined,
    );
  }
}
