import { countCharacters, MAX_MESSAGE_CHARACTERS } from '@pollybot/contracts';
import { type FormEvent, type KeyboardEvent, type MouseEvent, useEffect, useRef, useState } from 'react';
import { listAllChatbots } from '../api/chatbots.ts';
import type { Chatbot } from '../api/types.ts';
import { Button, LinkButton } from '../components/button.tsx';
import { ChatBubble, useCountdown } from '../components/chat-message.tsx';
import { Callout, EmptyState, ErrorState, Skeleton } from '../components/feedback.tsx';
import { Icon } from '../components/icons.tsx';
import { Card, PageHeader } from '../components/layout.tsx';
import { usePlaygroundChat } from '../hooks/use-playground-chat.ts';
import { useResource } from '../hooks/use-resource.ts';
import { navigate } from '../hooks/use-route.ts';
import { href } from '../lib/route.ts';
import { parseMetadata } from '../lib/validation.ts';
import { useSession } from '../session.tsx';
import { NewChatbotLink } from './new-chatbot-link.tsx';
import { MessageLength } from './playground-message-length.tsx';
import { PlaygroundSidebar } from './playground-sidebar.tsx';
import './playground-page.css';

/** Talk to a chatbot exactly as an API client would: streamed replies, usage, and errors explained. */
export function PlaygroundPage({
  chatbotId,
  conversationId,
}: {
  chatbotId?: string;
  conversationId?: string;
}) {
  const chatbots = useResource((signal) => listAllChatbots(signal), []);
  const list = chatbots.data ?? [];
  const selected = list.find((chatbot) => chatbot.id === chatbotId) ?? (chatbotId ? undefined : list[0]);

  if (chatbots.error) {
    return (
      <>
        <PageHeader title="Playground" />
        <ErrorState error={chatbots.error} onRetry={chatbots.reload} />
      </>
    );
  }
  if (chatbots.isLoading) {
    return (
      <>
        <PageHeader title="Playground" description="Chat with a chatbot as your users will." />
        <div className="playground">
          <Card>
            <div className="stack">
              <Skeleton height={38} />
              <Skeleton width="60%" />
              <Skeleton width="40%" />
            </div>
          </Card>
          <Card className="chat">
            <div className="stack">
              <Skeleton width="50%" height={40} />
              <Skeleton width="70%" height={60} />
            </div>
          </Card>
        </div>
      </>
    );
  }
  if (list.length === 0) {
    return (
      <>
        <PageHeader title="Playground" description="Chat with a chatbot as your users will." />
        <Card>
          <EmptyState
            icon="message"
            title="No chatbot to talk to yet"
            action={<NewChatbotLink label="Create a chatbot" />}
          >
            Create a chatbot first, then come back to try it here.
          </EmptyState>
        </Card>
      </>
    );
  }
  if (!selected) {
    return (
      <>
        <PageHeader title="Playground" />
        <Card>
          <EmptyState
            icon="bot"
            title="That chatbot does not exist"
            action={<LinkButton href="#/playground">Pick another</LinkButton>}
          >
            It may have been deleted.
          </EmptyState>
        </Card>
      </>
    );
  }
  return <PlaygroundChat key={selected.id} chatbots={list} chatbot={selected} resumeId={conversationId} />;
}

function PlaygroundChat({
  chatbots,
  chatbot,
  resumeId,
}: {
  chatbots: Chatbot[];
  chatbot: Chatbot;
  resumeId?: string;
}) {
  const { session, refreshBalance } = useSession();
  // The conversation is in the URL: a new one is named there (replacing the blank page), so a reload or
  // Back finds it again.
  const chat = usePlaygroundChat(
    chatbot.id,
    resumeId,
    () => void refreshBalance(),
    (id) => navigate(href('/playground', { chatbot: chatbot.id, conversation: id }), { replace: true }),
  );
  const { messages, conversationId, isSending, isResuming, resumeError } = chat;
  const [input, setInput] = useState('');
  const length = countCharacters(input);
  const isTooLong = length > MAX_MESSAGE_CHARACTERS;
  const [metadataText, setMetadataText] = useState('{\n  "source": "playground"\n}');
  const [metadataError, setMetadataError] = useState<string>();
  const endRef = useRef<HTMLDivElement>(null);
  const secondsToWait = useCountdown(chat.retryAt);

  const lastContent = messages.at(-1)?.content;
  // biome-ignore lint/correctness/useExhaustiveDependencies: scroll as the last reply grows
  useEffect(() => {
    endRef.current?.scrollIntoView({ block: 'end', behavior: 'smooth' });
  }, [messages.length, lastContent]);

  const send = (event?: FormEvent) => {
    event?.preventDefault();
    const text = input.trim();
    if (!text || isSending || isTooLong) return;
    const metadata = parseMetadata(metadataText);
    if (!metadata.ok) {
      setMetadataError(metadata.error);
      return;
    }
    setInput('');
    void chat.send(text, metadata.value);
  };

  // A new conversation is a new page: Back returns to the one left.
  const startNew = () => {
    if (conversationId) navigate(href('/playground', { chatbot: chatbot.id }));
    else chat.reset();
  };

  // Send turns into Stop under the pointer: the second click of a double-click on Send (a click whose
  // count is 2 or more) is part of sending and does not stop the reply.
  const stop = (event: MouseEvent) => {
    if (event.detail > 1) return;
    chat.stop();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void send();
    }
  };

  const lastUsage = [...messages].reverse().find((message) => message.usage)?.usage ?? undefined;

  return (
    <>
      <PageHeader
        title="Playground"
        description="Chat with a chatbot exactly as an API client would: streamed replies, real usage and credits."
        actions={
          <Button icon="plus" onClick={startNew} disabled={messages.length === 0 && !conversationId}>
            New conversation
          </Button>
        }
      />
      <div className="playground">
        <PlaygroundSidebar
          chatbots={chatbots}
          chatbot={chatbot}
          conversationId={conversationId}
          lastUsage={lastUsage}
          metadataText={metadataText}
          metadataError={metadataError}
          onMetadataChange={(text) => {
            setMetadataText(text);
            setMetadataError(undefined);
          }}
          onSelect={(id) => navigate(href('/playground', { chatbot: id }))}
        />
        <section className="card chat" aria-label="Conversation">
          {chatbot.status === 'inactive' ? (
            <Callout tone="warning" title="This chatbot is inactive">
              It refuses every message.{' '}
              <a href={href(`/chatbots/${chatbot.id}`)}>Activate it in its settings</a> to chat.
            </Callout>
          ) : null}
          {resumeError ? (
            <ErrorState title="The conversation could not be loaded" error={resumeError} />
          ) : null}
          <div className="chat__transcript" aria-live="polite">
            {isResuming ? (
              <div className="stack">
                <Skeleton width="45%" height={40} />
                <Skeleton width="65%" height={60} />
              </div>
            ) : null}
            {!isResuming && messages.length === 0 ? (
              <div className="chat__welcome">
                <div className="empty-state__icon">
                  <Icon name="sparkles" size={26} />
                </div>
                <h3>Say hello to {chatbot.name}</h3>
                <p className="muted">
                  Messages go through <code>POST /api/v1/chatbots/{'{id}'}/chat</code> with{' '}
                  <code>stream: true</code>, cost credits and count against the rate limit, like any API call.
                </p>
              </div>
            ) : null}
            {messages.map((message) => (
              <ChatBubble
                key={message.key}
                message={message}
                workspaceId={session.workspace.id}
                chatbotId={chatbot.id}
              />
            ))}
            <div ref={endRef} />
          </div>
          <form className="composer" onSubmit={send}>
            <div className="composer__field">
              <textarea
                className="input composer__input"
                rows={2}
                value={input}
                placeholder={`Message ${chatbot.name}…  (Enter to send, Shift+Enter for a new line)`}
                aria-label="Message"
                aria-describedby="composer-length"
                aria-invalid={isTooLong}
                onChange={(event) => setInput(event.target.value)}
                onKeyDown={onKeyDown}
              />
              <MessageLength id="composer-length" length={length} />
            </div>
            {isSending ? (
              <Button variant="secondary" icon="stop" onClick={stop} disabled={chat.isStopping}>
                {chat.isStopping ? 'Stopping…' : 'Stop'}
              </Button>
            ) : (
              <Button
                type="submit"
                variant="primary"
                icon="send"
                disabled={!input.trim() || isTooLong || secondsToWait > 0}
              >
                {secondsToWait > 0 ? `Wait ${secondsToWait} s` : 'Send'}
              </Button>
            )}
          </form>
        </section>
      </div>
    </>
  );
}
