import type { WidgetSettings } from '@pollybot/contracts';
import { readSseText, type SseMessage } from '@pollybot/contracts/sse-reader';
import { expect } from 'vitest';
import { readEventsUntil } from './sse.ts';
import type { ApiResponse, TestServer } from './test-server.ts';

/** The host page's site every widget test embeds the widget on, unless told otherwise. */
export const SITE = 'http://localhost:5173';

/** One event of the widget's stream: its id, name and JSON data. */
// biome-ignore lint/suspicious/noExplicitAny: tests read event data freely and assert its shape
export type WidgetEvent = { id: string; event: string; data: any };

function toWidgetEvent(message: SseMessage): WidgetEvent {
  return { id: message.id ?? '', event: message.event, data: JSON.parse(message.data) };
}

/** A whole text/event-stream body of the widget as its events (comments left out). */
export function parseWidgetSse(text: string): WidgetEvent[] {
  return readSseText(text).flatMap((read) => ('comment' in read ? [] : [toWidgetEvent(read)]));
}

/** Reads a widget stream until `stop` answers true for an event, then drops the connection. */
export function readWidgetSseUntil(
  response: Response,
  stop: (event: WidgetEvent) => boolean,
  controller: AbortController,
): Promise<WidgetEvent[]> {
  return readEventsUntil(response, toWidgetEvent, stop, controller);
}

/** The widget's clients over a test server: the management API for set-up, the public API for visitors. */
export function createWidgetHarness(server: TestServer) {
  const publicApi = server.api();
  const bearer = (token: string, headers: Record<string, string> = {}) => ({
    authorization: `Bearer ${token}`,
    ...headers,
  });

  return {
    /** A workspace with a chatbot, a publishable key for `origins` and, optionally, widget settings. */
    async setUp(
      options: {
        origins?: string[];
        settings?: Partial<WidgetSettings>;
        chatbot?: Record<string, unknown>;
        credits?: number;
      } = {},
    ) {
      const { apiKey, workspaceId } = await server.createWorkspace(options.credits ?? 1000);
      const chatbot = await server.createChatbot(apiKey, { model: 'openai/gpt-test', ...options.chatbot });
      const created = await server.api(apiKey).post(`/api/v1/chatbots/${chatbot.id}/publishable-keys`, {
        allowedOrigins: options.origins ?? [SITE],
      });
      expect(created.status, created.text).toBe(201);
      if (options.settings) {
        const saved = await server
          .api(apiKey)
          .send('PUT', `/api/v1/chatbots/${chatbot.id}/widget`, options.settings);
        expect(saved.status, saved.text).toBe(200);
      }
      return {
        apiKey,
        workspaceId,
        chatbot,
        key: created.body.data.key as string,
        keyId: created.body.data.id,
      };
    },
    startSession(body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<ApiResponse> {
      return publicApi.post('/api/widget/v1/sessions', { origin: SITE, ...body }, headers);
    },
    /** A session that must start: its token and the rest of the answer. */
    async session(key: string, body: Record<string, unknown> = {}) {
      const started = await publicApi.post('/api/widget/v1/sessions', { key, origin: SITE, ...body });
      expect(started.status, started.text).toBe(201);
      return started.body.data as {
        token: string;
        visitorToken: string;
        visitor: { id: string; verified: boolean; name: string | null };
        conversationId: string | null;
      };
    },
    chat(token: string, body: Record<string, unknown>, headers: Record<string, string> = {}) {
      return publicApi.post('/api/widget/v1/chat', body, bearer(token, headers));
    },
    /** The chat's raw response, for reading a stream as it arrives. */
    chatRaw(token: string, body: Record<string, unknown>, signal?: AbortSignal) {
      return fetch(`${server.baseUrl}/api/widget/v1/chat`, {
        method: 'POST',
        headers: bearer(token, { 'content-type': 'application/json' }),
        body: JSON.stringify(body),
        signal,
      });
    },
    get(path: string, token: string, headers: Record<string, string> = {}) {
      return publicApi.get(path, bearer(token, headers));
    },
    post(path: string, token: string, body: unknown) {
      return publicApi.post(path, body, bearer(token));
    },
  };
}
