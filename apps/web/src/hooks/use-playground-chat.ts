import { useCallback, useEffect, useRef, useState } from 'react';
import { followReply, streamChat } from '../api/chat-stream.ts';
import { ApiError } from '../api/client.ts';
import { cancelReply, getMessage, getWholeConversation } from '../api/conversations.ts';
import type { ChatStreamEvent, Message } from '../api/types.ts';
import type { PlaygroundMessage } from '../components/chat-message.tsx';
import { type ChatFailure, explainChatError } from '../lib/chat-errors.ts';

let keySequence = 0;
const nextKey = () => `m${++keySequence}`;

/** How often a cut stream is reconnected (`Last-Event-ID`) before the reply is shown as interrupted. */
const MAX_RECONNECTS = 3;

export interface PlaygroundChat {
  messages: PlaygroundMessage[];
  conversationId: string | undefined;
  /** A reply is being received (sent now, or resumed after a reload). */
  isSending: boolean;
  /** Stop was asked and the server has not yet confirmed how the reply ended. */
  isStopping: boolean;
  /** When a rate-limited chatbot accepts messages again (a Date.now() value). */
  retryAt: number | undefined;
  isResuming: boolean;
  resumeError: Error | undefined;
  send: (text: string, metadata: Record<string, unknown> | undefined) => Promise<void>;
  stop: () => void;
  reset: () => void;
}

/** The reply being received: its ids once its `start` event came, the last event id, and whether Stop was asked. */
type OnStreamEvent = (event: ChatStreamEvent, id: string | undefined) => void;

interface LiveReply {
  key: string;
  conversationId?: string;
  messageId?: string;
  lastEventId?: string;
  interrupted: boolean;
  /** Stop was clicked; the cancel is sent as soon as the reply has an id. */
  stopRequested: boolean;
  /** The cancel request, settled once the server answered it. */
  cancel?: Promise<void>;
}

const toPlaygroundMessage = (message: Message): PlaygroundMessage => ({
  key: message.id,
  role: message.role,
  content: message.content,
  status: message.status === 'generating' ? 'streaming' : message.status,
  usage: message.usage,
});

/**
 * The playground's conversation with one chatbot: sends each message as a streamed API call, grows the reply
 * token by token, and turns failures into explained error cards. The conversation shown follows `resumeId`
 * (the URL): another id loads that conversation, and a reply still being generated there is followed with the
 * resume API. A conversation the chat starts itself is reported with `onConversation` so the URL can name it.
 */
export function usePlaygroundChat(
  chatbotId: string,
  resumeId: string | undefined,
  onReplyEnd: () => void,
  onConversation: (conversationId: string) => void,
): PlaygroundChat {
  const [messages, setMessages] = useState<PlaygroundMessage[]>([]);
  const [conversationId, setConversationId] = useState<string | undefined>(resumeId);
  const [isSending, setIsSending] = useState(false);
  const [isStopping, setIsStopping] = useState(false);
  const [retryAt, setRetryAt] = useState<number>();
  const [isResuming, setIsResuming] = useState(Boolean(resumeId));
  const [resumeError, setResumeError] = useState<Error>();
  const controllerRef = useRef<AbortController | undefined>(undefined);
  const liveRef = useRef<LiveReply | undefined>(undefined);
  // The conversation on screen (null: none loaded yet), so a URL naming it again loads nothing.
  const shownRef = useRef<string | undefined | null>(null);
  const callbacks = useRef({ onReplyEnd, onConversation });
  callbacks.current = { onReplyEnd, onConversation };

  const updateReply = useCallback(
    (key: string, update: (message: PlaygroundMessage) => PlaygroundMessage) =>
      setMessages((current) => current.map((message) => (message.key === key ? update(message) : message))),
    [],
  );

  const fail = useCallback(
    (key: string, failure: ChatFailure) => {
      const explanation = explainChatError(failure);
      if (explanation.retryAfter !== undefined) setRetryAt(Date.now() + explanation.retryAfter * 1000);
      updateReply(key, (message) => ({
        ...message,
        status: 'failed',
        error: { ...explanation, code: failure.code, at: Date.now() },
      }));
    },
    [updateReply],
  );

  const adopt = useCallback((id: string) => {
    if (shownRef.current === id) return;
    shownRef.current = id;
    setConversationId(id);
    callbacks.current.onConversation(id);
  }, []);

  const requestCancel = useCallback(
    (live: LiveReply, reply: { conversationId: string; messageId: string }) => {
      live.cancel = cancelReply(chatbotId, reply.conversationId, reply.messageId).then(
        () => undefined,
        // 409: the reply had already ended; it stands as it ended.
        () => undefined,
      );
    },
    [chatbotId],
  );

  /** Receives one reply's stream (`open` starts it), reconnecting a cut stream; Stop's outcome is read back. */
  const receive = useCallback(
    async (live: LiveReply, open: (signal: AbortSignal, onEvent: OnStreamEvent) => Promise<unknown>) => {
      const controller = new AbortController();
      controllerRef.current = controller;
      liveRef.current = live;
      setIsSending(true);
      const onEvent: OnStreamEvent = (event, id) => {
        if (id) live.lastEventId = id;
        if (event.event === 'start') {
          live.conversationId = event.data.conversationId;
          live.messageId = event.data.messageId;
          adopt(event.data.conversationId);
          if (live.stopRequested) requestCancel(live, event.data);
        } else if (event.event === 'delta') {
          const piece = event.data.content;
          updateReply(live.key, (message) => ({ ...message, content: message.content + piece }));
        } else if (event.event === 'done') {
          const reply = event.data.data;
          adopt(reply.conversationId);
          updateReply(live.key, (message) => ({
            ...message,
            content: reply.response,
            usage: reply.usage,
            sources: reply.sources,
            // A cancelled reply ends with `done` too; the server's record says how it ended (below).
            status: live.stopRequested ? 'incomplete' : 'complete',
          }));
        } else if (event.data.code === 'STREAM_INTERRUPTED' && live.messageId) {
          live.interrupted = true;
        } else {
          if (typeof event.data.conversationId === 'string') adopt(event.data.conversationId);
          fail(live.key, { code: event.data.code, message: event.data.error });
        }
      };
      try {
        await open(controller.signal, onEvent);
        for (let attempt = 0; live.interrupted && live.messageId && attempt < MAX_RECONNECTS; attempt++) {
          live.interrupted = false;
          await followReply({
            chatbotId,
            conversationId: live.conversationId ?? '',
            messageId: live.messageId,
            lastEventId: live.lastEventId,
            signal: controller.signal,
            onEvent,
          });
        }
        if (live.interrupted)
          fail(live.key, { code: 'STREAM_INTERRUPTED', message: 'The connection closed.' });
        if (live.stopRequested && live.conversationId && live.messageId) {
          // State what the server recorded: stopped (or complete, when the reply ended first) and its charge.
          await live.cancel;
          const stored = await getMessage(chatbotId, live.conversationId, live.messageId, controller.signal);
          updateReply(live.key, (message) => ({ ...toPlaygroundMessage(stored), key: message.key }));
        }
      } catch (error) {
        if (controller.signal.aborted) return;
        if (error instanceof ApiError) {
          // 502/504 keep the stored user message and failed reply in the conversation: continue it.
          const failedConversation = error.body.conversationId;
          if (typeof failedConversation === 'string') adopt(failedConversation);
          fail(live.key, {
            status: error.status,
            code: error.code,
            message: error.message,
            retryAfter: error.retryAfter,
          });
        } else {
          fail(live.key, { status: 0, code: 'NETWORK_ERROR', message: String(error) });
        }
      } finally {
        if (controllerRef.current === controller) {
          controllerRef.current = undefined;
          liveRef.current = undefined;
          setIsSending(false);
          setIsStopping(false);
          callbacks.current.onReplyEnd();
        }
      }
    },
    [adopt, chatbotId, fail, requestCancel, updateReply],
  );

  useEffect(() => {
    if (resumeId === shownRef.current) return;
    controllerRef.current?.abort();
    shownRef.current = resumeId;
    setConversationId(resumeId);
    setRetryAt(undefined);
    setResumeError(undefined);
    setMessages([]);
    if (!resumeId) {
      setIsResuming(false);
      return;
    }
    setIsResuming(true);
    const controller = new AbortController();
    let isLoaded = false;
    getWholeConversation(chatbotId, resumeId, controller.signal).then(
      (conversation) => {
        isLoaded = true;
        const loaded = conversation.messages.map(toPlaygroundMessage);
        const last = conversation.messages.at(-1);
        // A reply still being generated (the page was reloaded mid-reply) is followed from its start.
        if (last?.role === 'assistant' && last.status === 'generating') {
          loaded[loaded.length - 1] = { ...toPlaygroundMessage(last), content: '' };
          void receive(
            {
              key: last.id,
              conversationId: resumeId,
              messageId: last.id,
              interrupted: false,
              stopRequested: false,
            },
            (signal, onEvent) =>
              followReply({ chatbotId, conversationId: resumeId, messageId: last.id, signal, onEvent }),
          );
        }
        setMessages(loaded);
        setIsResuming(false);
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        isLoaded = true;
        shownRef.current = undefined;
        setResumeError(error instanceof Error ? error : new Error(String(error)));
        setIsResuming(false);
      },
    );
    return () => {
      controller.abort();
      // Unmounted before it loaded (React's strict mode mounts twice): the next mount loads it again.
      if (!isLoaded && shownRef.current === resumeId) shownRef.current = null;
    };
  }, [chatbotId, resumeId, receive]);

  // Leaving the page drops the stream; the reply goes on on the server and is followed again on return.
  useEffect(() => () => controllerRef.current?.abort(), []);

  const send = async (text: string, metadata: Record<string, unknown> | undefined) => {
    if (liveRef.current) return;
    setRetryAt(undefined);
    const live: LiveReply = { key: nextKey(), interrupted: false, stopRequested: false };
    setMessages((current) => [
      ...current,
      { key: nextKey(), role: 'user', content: text, status: 'complete' },
      { key: live.key, role: 'assistant', content: '', status: 'streaming' },
    ]);
    const continued = shownRef.current ?? undefined;
    await receive(live, (signal, onEvent) =>
      streamChat({ chatbotId, message: text, conversationId: continued, metadata, signal, onEvent }),
    );
  };

  // Closing the connection does not stop a reply on the server: Stop cancels it there as soon as the reply
  // has an id (at once, or when its `start` event comes), and the stream then ends with what was written.
  const stop = useCallback(() => {
    const live = liveRef.current;
    if (!live || live.stopRequested) return;
    live.stopRequested = true;
    setIsStopping(true);
    if (live.conversationId && live.messageId) {
      requestCancel(live, { conversationId: live.conversationId, messageId: live.messageId });
    }
  }, [requestCancel]);

  const reset = useCallback(() => {
    controllerRef.current?.abort();
    shownRef.current = undefined;
    setMessages([]);
    setConversationId(undefined);
    setRetryAt(undefined);
    setResumeError(undefined);
  }, []);

  return {
    messages,
    conversationId,
    isSending,
    isStopping,
    retryAt,
    isResuming,
    resumeError,
    send,
    stop,
    reset,
  };
}
