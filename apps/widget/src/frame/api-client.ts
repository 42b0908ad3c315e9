import type {
  VisitorSession,
  WidgetChatRequest,
  widgetConversationSchema,
  widgetReplySchema,
} from '@pollybot/contracts';
import type { z } from 'zod';
import { readEvents, type StreamEvent } from './sse.ts';

// The panel's calls to the public widget API (/api/widget/v1) on its own origin. Only types come from the
// contracts: their zod schemas would be most of the panel's weight.

export type WidgetConversation = z.infer<typeof widgetConversationSchema>;
type WidgetReply = z.infer<typeof widgetReplySchema>;

export type { VisitorSession };

/** A refusal of the widget API: the envelope's sentence (safe to show a visitor) and its code. */
export class WidgetApiError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly status: number,
  ) {
    super(message);
  }
}

const API = '/api/widget/v1';
const FALLBACK_MESSAGE = 'Something went wrong. Please try again.';

/** The error envelope's `error` and `code`, or a generic sentence for anything else (never a raw body). */
export function toApiError(body: unknown, status: number): WidgetApiError {
  const envelope = body as { error?: unknown; code?: unknown } | null;
  const message = typeof envelope?.error === 'string' && envelope.error ? envelope.error : FALLBACK_MESSAGE;
  const code = typeof envelope?.code === 'string' ? envelope.code : 'NETWORK_ERROR';
  return new WidgetApiError(message, code, status);
}

async function call<T>(path: string, init: RequestInit, token?: string): Promise<T> {
  const headers = new Headers(init.headers);
  if (init.body) headers.set('content-type', 'application/json');
  if (token) headers.set('authorization', `Bearer ${token}`);
  let response: Response;
  try {
    response = await fetch(API + path, { ...init, headers, credentials: 'omit' });
  } catch {
    throw new WidgetApiError(FALLBACK_MESSAGE, 'NETWORK_ERROR', 0);
  }
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok || (body as { success?: unknown } | null)?.success !== true) {
    throw toApiError(body, response.status);
  }
  return (body as { data: T }).data;
}

export function startSession(input: {
  key: string;
  origin: string;
  visitorToken?: string | undefined;
  identityToken?: string | undefined;
}): Promise<VisitorSession> {
  return call('/sessions', { method: 'POST', body: JSON.stringify(input) });
}

export function fetchConversation(token: string, id: string): Promise<WidgetConversation> {
  return call(`/conversations/${encodeURIComponent(id)}`, { method: 'GET' }, token);
}

export function sendFeedback(
  token: string,
  messageId: string,
  rating: 'up' | 'down' | null,
): Promise<unknown> {
  return call(
    `/messages/${encodeURIComponent(messageId)}/feedback`,
    { method: 'POST', body: JSON.stringify({ rating }) },
    token,
  );
}

/** What a streamed reply reports as it arrives. */
export interface ReplyHandlers {
  onStart(ids: { conversationId: string; messageId: string }): void;
  onDelta(content: string, eventId: string | undefined): void;
  onDone(reply: WidgetReply): void;
}

async function stream(path: string, init: RequestInit, token: string, handlers: ReplyHandlers) {
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${token}`);
  headers.set('accept', 'text/event-stream');
  if (init.body) headers.set('content-type', 'application/json');
  let response: Response;
  try {
    response = await fetch(API + path, { ...init, headers, credentials: 'omit' });
  } catch {
    throw new WidgetApiError(FALLBACK_MESSAGE, 'NETWORK_ERROR', 0);
  }
  if (response.status === 204) return;
  const type = response.headers.get('content-type') ?? '';
  if (!response.ok || !type.startsWith('text/event-stream') || !response.body) {
    throw toApiError(await response.json().catch(() => null), response.status);
  }
  let failure: WidgetApiError | undefined;
  let ended = false;
  await readEvents(response.body, ({ event, data, id }: StreamEvent) => {
    const payload = data as Record<string, unknown>;
    if (event === 'start') handlers.onStart(payload as { conversationId: string; messageId: string });
    else if (event === 'delta' && typeof payload.content === 'string') handlers.onDelta(payload.content, id);
    else if (event === 'done') {
      ended = true;
      handlers.onDone(payload.data as WidgetReply);
    } else if (event === 'error') {
      ended = true;
      failure = toApiError(payload, response.status);
    }
  });
  if (failure) throw failure;
  if (!ended) throw new WidgetApiError(FALLBACK_MESSAGE, 'STREAM_INTERRUPTED', 0);
}

/** POST /chat with stream: true, the reply's events reported as they arrive. */
export function streamChat(token: string, request: WidgetChatRequest, handlers: ReplyHandlers) {
  return stream(
    '/chat',
    { method: 'POST', body: JSON.stringify({ ...request, stream: true }) },
    token,
    handlers,
  );
}

/** Follows a reply still being generated, from after `lastEventId` (or from its start). */
export function resumeReply(
  token: string,
  messageId: string,
  lastEventId: string | undefined,
  handlers: ReplyHandlers,
) {
  const headers: Record<string, string> = lastEventId ? { 'last-event-id': lastEventId } : {};
  return stream(
    `/messages/${encodeURIComponent(messageId)}/stream`,
    { method: 'GET', headers },
    token,
    handlers,
  );
}
