import type { WidgetPublicConfig } from '@pollybot/contracts';
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
const GENERIC_FAILURE = 'Something went wrong. Please try again.';
/**
 * Refusals whose sentence is meant for the site's developer (the key, its origin list, the chatbot's state,
 * the identity token): the visitor reads the business's offline message, the console the real reason.
 */
const DEVELOPER_CODES = new Set([
  'PUBLISHABLE_KEY_INVALID',
  'ORIGIN_NOT_ALLOWED',
  'CHATBOT_INACTIVE',
  'IDENTITY_REQUIRED',
  'IDENTITY_INVALID',
  'IDENTITY_EXPIRED',
  'IDENTITY_WRONG_CHATBOT',
]);
const isIdentityRefusal = (error: unknown): error is WidgetApiError =>
  error instanceof WidgetApiError && error.code.startsWith('IDENTITY_');

const warn = (error: WidgetApiError) => console.warn(`PollyBot: ${error.code}: ${error.message}`);

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
  /** The key's public config the loader fetched (null from an older loader): title and welcome at once. */
  config: WidgetPublicConfig | null;
  onMessage(message: WidgetChatMessage): void;
  onVisitorToken(token: string | null): void;
}) {
  const { key, origin, view } = options;
  const visitor = visitorStorage(key, options.keptByPage, options.onVisitorToken);
  let session: VisitorSession | undefined;
  let identityToken: string | undefined;
  let conversationId: string | undefined;
  let busy = false;
  let config = options.config;
  if (config) view.configure(config);

  /** What the visitor reads of a refusal; the developer's sentence goes to the console instead. */
  const visitorSentence = (error: unknown): string => {
    if (!(error instanceof WidgetApiError)) return GENERIC_FAILURE;
    if (!DEVELOPER_CODES.has(error.code)) return error.message;
    warn(error);
    return config?.offlineMessage ?? GENERIC_FAILURE;
  };

  const setBusy = (value: boolean) => {
    busy = value;
    view.setBusy(value);
  };

  const rate = async (messageId: string, rating: Rating) => {
    try {
      await withSession((token) => sendFeedback(token, messageId, rating));
      return true;
    } catch (error) {
      view.showNotice(visitorSentence(error));
      return false;
    }
  };

  async function openSession(): Promise<VisitorSession> {
    try {
      session = await startSession({ key, origin, visitorToken: visitor.read(), identityToken });
    } catch (error) {
      // With optional identity a refused token leaves the visitor unidentified: they chat anonymously.
      if (!isIdentityRefusal(error) || config?.identity !== 'optional' || !identityToken) throw error;
      warn(error);
      identityToken = undefined;
      session = await startSession({ key, origin, visitorToken: visitor.read() });
    }
    visitor.write(session.visitorToken);
    config = session.config;
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
    const message = userMessage(text, 'pending');
    view.append(message.element);
    let accepted = false;
    const request = { message: text, ...(conversationId ? { conversationId } : {}) };
    try {
      await withSession((token) =>
        streamReply(
          (handlers) =>
            streamChat(token, request, {
              ...handlers,
              onStart(ids) {
                accepted = true;
                message.sent();
                handlers.onStart(ids);
              },
            }),
          undefined,
          text,
        ),
      );
    } catch (error) {
      if (!accepted) message.failed(() => void send(text));
      view.showNotice(visitorSentence(error));
    } finally {
      setBusy(false);
    }
  }

  function showConversation(conversation: WidgetConversation) {
    view.startOver();
    for (const message of conversation.messages) {
      if (message.role === 'user') {
        view.append(userMessage(message.content).element);
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
          .catch((error) => view.showNotice(visitorSentence(error)))
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
      view.setLocked(false);
      conversationId = started.conversationId ?? undefined;
      if (!conversationId) return view.startOver();
      const id = conversationId;
      showConversation(await withSession((token) => fetchConversation(token, id)));
    } catch (error) {
      session = undefined;
      view.startOver();
      view.showNotice(visitorSentence(error));
      // A refused identity when the chatbot requires one: the visitor cannot chat until the page identifies
      // them again.
      if (isIdentityRefusal(error)) view.setLocked(true);
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
