import { useCallback, useEffect, useRef, useState } from 'react';
import { streamChat } from '../api/chat-stream.ts';
import { ApiError } from '../api/client.ts';
import { cancelReply, getWholeConversation } from '../api/conversations.ts';
import type { ChatStreamEvent } from '../api/types.ts';
import type { PlaygroundMessage } from '../components/chat-message.tsx';
import { type ChatFailure, explainChatError } from '../lib/chat-errors.ts';

let keySequence = 0;
const nextKey = () => `m${++keySequence}`;

export interface PlaygroundChat {
  messages: PlaygroundMessage[];
  conversationId: string | undefined;
  isSending: boolean;
  /** When a rate-limited chatbot accepts messages again (a Date.now() value). */
  retryAt: number | undefined;
  isResuming: boolean;
  resumeError: Error | undefined;
  send: (text: string, metadata: Record<string, unknown> | undefined) => Promise<void>;
  stop: () => void;
  reset: () => void;
}

/**
 * The playground's conversation with one chatbot: sends each message as a streamed API call, grows
 * the reply token by token, keeps the conversation id for the next message, and turns failures
 * into explained error cards. With `resumeId` it first loads that conversation's messages.
 */
export function usePlaygroundChat(
  chatbotId: string,
  resumeId: string | undefined,
  onReplyEnd: () => void,
): PlaygroundChat {
  const [messages, setMessages] = useState<PlaygroundMessage[]>([]);
  const [conversationId, setConversationId] = useState<string | undefined>(resumeId);
  const [isSending, setIsSending] = useState(false);
  const [retryAt, setRetryAt] = useState<number>();
  const [isResuming, setIsResuming] = useState(Boolean(resumeId));
  const [resumeError, setResumeError] = useState<Error>();
  const controllerRef = useRef<AbortController | undefined>(undefined);
  // The reply being streamed (from its `start` event), so Stop can cancel it on the server.
  const replyRef = useRef<
    { chatbotId: string; conversationId: string; messageId: string; cancelled: boolean } | undefined
  >(undefined);

  useEffect(() => {
    if (!resumeId) return;
    const controller = new AbortController();
    getWholeConversation(chatbotId, resumeId, controller.signal).then(
      (conversation) => {
        setMessages(
          conversation.messages.map((message) => ({
            key: message.id,
            role: message.role,
            content: message.content,
            // A reply still being generated elsewhere shows as in progress.
            status: message.status === 'generating' ? 'streaming' : message.status,
            usage: message.usage,
          })),
        );
        setIsResuming(false);
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setResumeError(error instanceof Error ? error : new Error(String(error)));
        setConversationId(undefined);
        setIsResuming(false);
      },
    );
    return () => controller.abort();
  }, [chatbotId, resumeId]);

  // Leaving the page aborts a reply in flight, as a disconnecting client would.
  useEffect(() => () => controllerRef.current?.abort(), []);

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

  const send = async (text: string, metadata: Record<string, unknown> | undefined) => {
    if (isSending) return;
    setRetryAt(undefined);
    const replyKey = nextKey();
    setMessages((current) => [
      ...current,
      { key: nextKey(), role: 'user', content: text, status: 'complete' },
      { key: replyKey, role: 'assistant', content: '', status: 'streaming' },
    ]);
    setIsSending(true);
    const controller = new AbortController();
    controllerRef.current = controller;

    const onEvent = (event: ChatStreamEvent) => {
      if (event.event === 'start') {
        setConversationId(event.data.conversationId);
        replyRef.current = {
          chatbotId,
          conversationId: event.data.conversationId,
          messageId: event.data.messageId,
          cancelled: false,
        };
      } else if (event.event === 'delta') {
        const piece = event.data.content;
        updateReply(replyKey, (message) => ({ ...message, content: message.content + piece }));
      } else if (event.event === 'done') {
        const reply = event.data.data;
        setConversationId(reply.conversationId);
        updateReply(replyKey, (message) => ({
          ...message,
          content: reply.response,
          usage: reply.usage,
          sources: reply.sources,
          // A cancelled reply ends with `done` too, carrying the text written until the cancel.
          status: replyRef.current?.cancelled ? 'incomplete' : 'complete',
        }));
      } else {
        if (typeof event.data.conversationId === 'string') setConversationId(event.data.conversationId);
        fail(replyKey, { code: event.data.code, message: event.data.error });
      }
    };

    try {
      await streamChat({
        chatbotId,
        message: text,
        conversationId,
        metadata,
        signal: controller.signal,
        onEvent,
      });
    } catch (error) {
      if (controller.signal.aborted) {
        updateReply(replyKey, (message) => ({ ...message, status: 'incomplete' }));
      } else if (error instanceof ApiError) {
        // 502/504 keep the stored user message and failed reply in the conversation: continue it.
        const failedConversation = error.body.conversationId;
        if (typeof failedConversation === 'string') setConversationId(failedConversation);
        fail(replyKey, {
          status: error.status,
          code: error.code,
          message: error.message,
          retryAfter: error.retryAfter,
        });
      } else {
        fail(replyKey, { status: 0, code: 'NETWORK_ERROR', message: String(error) });
      }
    } finally {
      controllerRef.current = undefined;
      replyRef.current = undefined;
      setIsSending(false);
      onReplyEnd();
    }
  };

  // Closing the connection no longer stops a reply on the server: Stop cancels it there, and the stream
  // then ends with what was written. Before the reply has started (no message id yet), the request is dropped.
  const stop = useCallback(() => {
    const reply = replyRef.current;
    if (!reply) {
      controllerRef.current?.abort();
      return;
    }
    reply.cancelled = true;
    cancelReply(reply.chatbotId, reply.conversationId, reply.messageId).catch(() =>
      controllerRef.current?.abort(),
    );
  }, []);
  const reset = useCallback(() => {
    controllerRef.current?.abort();
    setMessages([]);
    setConversationId(undefined);
    setRetryAt(undefined);
    setResumeError(undefined);
  }, []);

  return { messages, conversationId, isSending, retryAt, isResuming, resumeError, send, stop, reset };
}
