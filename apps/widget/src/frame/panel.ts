import type { WidgetChatMessage } from '../shared/protocol.ts';
import {
  fetchConversation,
  type ReplyHandlers,
  resumeReply,
  sendFeedback,
  startSession,
  streamChat,
  type VisitorSession,
  WidgetApiError,
  type WidgetConversation,
} from './api-client.ts';
import { type Rating, replyMessage, userMessage } from './message-view.ts';
import type { PanelView } from './panel-view.ts';

// The live panel: one visitor session (its visitorToken kept in this frame's localStorage, so a reload is
// the same visitor and continues their last conversation), sending and streaming replies, resuming a reply
// still being generated, feedback, and "New conversation".

const SESSION_EXPIRED = 'VISITOR_SESSION_INVALID';

/**
 * Where the visitor's token is kept: the frame's localStorage, or, when a browser blocks storage in
 * third-party frames (Chromium's incognito windows, strict privacy settings), the host page's, through the
 * loader: it hands the token over in `init`, and the panel sends it each new one.
 */
function visitorStorage(key: string, keptByPage: string | null, sendToPage: (token: string | null) => void) {
  const name = `pollybot:visitor:${key}`;
  let frameStorage: Storage | undefined;
  try {
    frameStorage = localStorage;
    frameStorage.getItem(name);
  } catch {
    frameStorage = undefined;
  }
  let pageCopy = keptByPage ?? undefined;
  return {
    read: (): string | undefined => (frameStorage ? (frameStorage.getItem(name) ?? undefined) : pageCopy),
    write: (value: string | null) => {
      if (frameStorage) {
        if (value === null) frameStorage.removeItem(name);
        else frameStorage.setItem(name, value);
        return;
      }
      if ((value ?? undefined) === pageCopy) return;
      pageCopy = value ?? undefined;
      sendToPage(value);
    },
  };
}

export function createPanel(options: {
  key: string;
  origin: string;
  view: PanelView;
  /** The visitor token the page kept (see visitorStorage), from the loader's `init`. */
  keptByPage: string | null;
  onMessage(message: WidgetChatMessage): void;
  onVisitorToken(token: string | null): void;
}) {
  const { key, origin, view } = options;
  const visitor = visitorStorage(key, options.keptByPage, options.onVisitorToken);
  let session: VisitorSession | undefined;
  let identityToken: string | undefined;
  let conversationId: string | undefined;
  let busy = false;

  const setBusy = (value: boolean) => {
    busy = value;
    view.setBusy(value);
  };

  const rate = async (messageId: string, rating: Rating) => {
    try {
      await withSession((token) => sendFeedback(token, messageId, rating));
      return true;
    } catch (error) {
      view.showNotice(error instanceof WidgetApiError ? error.message : null);
      return false;
    }
  };

  async function openSession(): Promise<VisitorSession> {
    session = await startSession({ key, origin, visitorToken: visitor.read(), identityToken });
    visitor.write(session.visitorToken);
    return session;
  }

  /** Runs a call with the session's token; a token that expired is renewed once, then the call retried. */
  async function withSession<T>(call: (token: string) => Promise<T>): Promise<T> {
    const current = session ?? (await openSession());
    try {
      return await call(current.token);
    } catch (error) {
      if (!(error instanceof WidgetApiError) || error.code !== SESSION_EXPIRED) throw error;
      return call((await openSession()).token);
    }
  }

  /** Streams one reply into a new bubble; follows it again from its last event if the connection drops. */
  async function streamReply(
    start: (handlers: ReplyHandlers) => Promise<void>,
    existing?: ReturnType<typeof replyMessage>,
    question?: string,
  ) {
    const bubble = existing ?? replyMessage({ onRate: rate });
    let messageId: string | undefined;
    let lastEventId: string | undefined;
    let text = bubble.text;
    let frame = 0;
    const handlers: ReplyHandlers = {
      onStart(ids) {
        conversationId = ids.conversationId;
        messageId = ids.messageId;
        if (question !== undefined)
          options.onMessage({ role: 'user', content: question, conversationId: ids.conversationId });
        if (!bubble.element.isConnected) view.append(bubble.element);
      },
      onDelta(content, id) {
        text += content;
        lastEventId = id;
        // Re-rendering the Markdown once per animation frame is enough for a smooth stream.
        frame ||= requestAnimationFrame(() => {
          frame = 0;
          bubble.update(text);
          view.scrollToEnd();
        });
      },
      onDone(reply) {
        cancelAnimationFrame(frame);
        conversationId = reply.conversationId;
        text = reply.response;
        bubble.update(text);
        bubble.complete(reply.messageId, reply.sources, null);
        view.scrollToEnd();
        options.onMessage({ role: 'assistant', content: text, conversationId: reply.conversationId });
      },
    };
    try {
      await start(handlers);
    } catch (error) {
      const dropped =
        error instanceof WidgetApiError &&
        (error.code === 'STREAM_INTERRUPTED' || error.code === 'NETWORK_ERROR');
      if (!dropped || !messageId) throw error;
      const id = messageId;
      await withSession((token) => resumeReply(token, id, lastEventId, handlers));
    }
  }

  async function send(text: string) {
    if (busy) return;
    setBusy(true);
    view.showNotice(null);
    view.append(userMessage(text));
    const request = { message: text, ...(conversationId ? { conversationId } : {}) };
    try {
      await withSession((token) =>
        streamReply((handlers) => streamChat(token, request, handlers), undefined, text),
      );
    } catch (error) {
      view.showNotice(
        error instanceof WidgetApiError ? error.message : 'Something went wrong. Please try again.',
      );
    } finally {
      setBusy(false);
    }
  }

  function showConversation(conversation: WidgetConversation) {
    view.startOver();
    for (const message of conversation.messages) {
      if (message.role === 'user') {
        view.append(userMessage(message.content));
        continue;
      }
      const bubble = replyMessage({ onRate: rate });
      bubble.update(message.content);
      view.append(bubble.element);
      if (message.status === 'generating') {
        // A reload while the reply was being written: follow it again from its start.
        bubble.update('');
        setBusy(true);
        withSession((token) =>
          streamReply((handlers) => resumeReply(token, message.id, undefined, handlers), bubble),
        )
          .catch((error) => view.showNotice(error instanceof WidgetApiError ? error.message : null))
          .finally(() => setBusy(false));
      } else {
        bubble.complete(message.id, message.sources, message.feedback);
      }
    }
  }

  /** Starts (or restarts) the session and shows the visitor's last conversation, or a new one. */
  async function begin() {
    view.showNotice(null);
    try {
      const started = await openSession();
      view.configure(started.config);
      conversationId = started.conversationId ?? undefined;
      if (!conversationId) return view.startOver();
      const id = conversationId;
      showConversation(await withSession((token) => fetchConversation(token, id)));
    } catch (error) {
      view.startOver();
      view.showNotice(
        error instanceof WidgetApiError ? error.message : 'Something went wrong. Please try again.',
      );
    }
  }

  return {
    begin,
    send: (text: string) => void send(text),
    newConversation() {
      if (busy) return;
      conversationId = undefined;
      view.showNotice(null);
      view.startOver();
      view.focusField();
    },
    identify(token: string) {
      identityToken = token;
      return begin();
    },
    /** Forgets the visitor (their token, identity and conversation) and starts as a new one. */
    reset() {
      this.forgetVisitor();
      return begin();
    },
    forgetVisitor() {
      visitor.write(null);
      identityToken = undefined;
      session = undefined;
      conversationId = undefined;
    },
  };
}
