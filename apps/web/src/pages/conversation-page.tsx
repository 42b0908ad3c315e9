import { useCallback, useState } from 'react';
import { getChatbot } from '../api/chatbots.ts';
import { ApiError } from '../api/client.ts';
import { deleteConversation, getConversation } from '../api/conversations.ts';
import type { Message } from '../api/types.ts';
import { Button, LinkButton } from '../components/button.tsx';
import { UsageLine } from '../components/chat-message.tsx';
import { ConfirmDialog } from '../components/dialog.tsx';
import {
  Badge,
  type BadgeTone,
  EmptyState,
  ErrorState,
  LoadMore,
  Skeleton,
} from '../components/feedback.tsx';
import { Icon } from '../components/icons.tsx';
import { Card, PageHeader } from '../components/layout.tsx';
import { Markdown } from '../components/markdown.tsx';
import { useToast } from '../components/toast.tsx';
import { WidgetMarker } from '../components/widget-marker.tsx';
import { useResource } from '../hooks/use-resource.ts';
import { navigate } from '../hooks/use-route.ts';
import { explainChatError } from '../lib/chat-errors.ts';
import { formatCredits, formatDateTime, formatJson, pluralize } from '../lib/format.ts';
import { describeFeedback } from '../lib/message-feedback.ts';
import { href } from '../lib/route.ts';
import './conversation-page.css';

const STATUS_TONES: Record<Message['status'], BadgeTone> = {
  generating: 'info',
  complete: 'success',
  incomplete: 'warning',
  failed: 'danger',
};
const STATUS_HINTS: Record<Message['status'], string> = {
  complete: 'The reply finished normally',
  generating: 'The reply is still being written; this is its text so far',
  incomplete:
    'The reply was stopped before its end (cancelled, or its server stopped); this is what was generated',
  failed: 'The AI provider failed; this reply cost nothing',
};

/** One conversation, message by message: role, text, status, metadata and usage. */
export function ConversationPage({
  chatbotId,
  conversationId,
}: {
  chatbotId: string;
  conversationId: string;
}) {
  const toast = useToast();
  const [isDeleting, setIsDeleting] = useState(false);
  const [isLoadingMore, setIsLoadingMore] = useState(false);
  // The first page of messages (the server's 100, oldest first); "Load more" appends the next ones.
  const resource = useResource(
    async (signal) => {
      const [page, chatbot] = await Promise.all([
        getConversation(chatbotId, conversationId, {}, signal),
        getChatbot(chatbotId, signal).catch(() => undefined),
      ]);
      return { conversation: page.data, nextCursor: page.nextCursor, chatbot };
    },
    [chatbotId, conversationId],
  );
  const { setData } = resource;
  const nextCursor = resource.data?.nextCursor ?? null;
  const loadMore = useCallback(async () => {
    if (!nextCursor) return;
    setIsLoadingMore(true);
    try {
      const page = await getConversation(chatbotId, conversationId, { cursor: nextCursor });
      setData((current) =>
        current && current.nextCursor === nextCursor
          ? {
              ...current,
              conversation: {
                ...current.conversation,
                messages: [...current.conversation.messages, ...page.data.messages],
              },
              nextCursor: page.nextCursor,
            }
          : current,
      );
    } catch (error) {
      toast.error('Could not load more messages', error);
    } finally {
      setIsLoadingMore(false);
    }
  }, [chatbotId, conversationId, nextCursor, setData, toast]);
  const back = { href: '#/conversations', label: 'All conversations' };

  if (resource.error) {
    const isMissing = resource.error instanceof ApiError && resource.error.status === 404;
    return (
      <>
        <PageHeader title="Conversation" back={back} />
        {isMissing ? (
          <Card>
            <EmptyState
              icon="inbox"
              title="This conversation does not exist"
              action={<LinkButton href="#/conversations">See all conversations</LinkButton>}
            >
              It, or its chatbot, may have been deleted.
            </EmptyState>
          </Card>
        ) : (
          <ErrorState error={resource.error} onRetry={resource.reload} />
        )}
      </>
    );
  }
  if (resource.isLoading || !resource.data) {
    return (
      <>
        <PageHeader title={<Skeleton width={260} height={26} />} back={back} />
        <div className="stack stack--lg">
          {[0, 1, 2].map((row) => (
            <Card key={row}>
              <div className="stack">
                <Skeleton width={140} />
                <Skeleton width="80%" />
                <Skeleton width="55%" />
              </div>
            </Card>
          ))}
        </div>
      </>
    );
  }

  const { conversation, chatbot } = resource.data;
  const hasMore = nextCursor !== null;
  // While more pages remain, the count and the credits are those of the messages loaded so far.
  const messageCount = `${pluralize(conversation.messages.length, 'message')}${hasMore ? ' loaded' : ''}`;
  const credits = conversation.messages.reduce((sum, message) => sum + (message.usage?.credits ?? 0), 0);
  const remove = async () => {
    try {
      await deleteConversation(chatbotId, conversationId);
      toast.success('Conversation deleted');
      navigate('/conversations');
    } catch (error) {
      toast.error('Could not delete the conversation', error);
      throw error;
    }
  };

  return (
    <>
      <PageHeader
        back={back}
        title={chatbot ? `Conversation with ${chatbot.name}` : 'Conversation'}
        description={
          <span className="meta-row">
            <WidgetMarker conversation={conversation} />
            <span className="mono">{conversation.id}</span>
            <span>Started {formatDateTime(conversation.createdAt)}</span>
            <span>{messageCount}</span>
            <span>
              {formatCredits(credits)}
              {hasMore ? ' so far' : ''}
            </span>
          </span>
        }
        actions={
          <>
            <LinkButton
              href={href('/playground', { chatbot: chatbotId, conversation: conversationId })}
              icon="message"
            >
              Continue in playground
            </LinkButton>
            <Button variant="danger" icon="trash" onClick={() => setIsDeleting(true)}>
              Delete
            </Button>
          </>
        }
      />
      {conversation.messages.length === 0 ? (
        <Card>
          <EmptyState icon="message" title="No messages in this conversation" />
        </Card>
      ) : (
        <>
          <ol className="transcript">
            {conversation.messages.map((message) => (
              <TranscriptMessage key={message.id} message={message} />
            ))}
          </ol>
          <LoadMore hasMore={hasMore} isLoading={isLoadingMore} onClick={() => void loadMore()} />
        </>
      )}
      {isDeleting ? (
        <ConfirmDialog
          title="Delete this conversation?"
          confirmLabel="Delete conversation"
          onConfirm={remove}
          onClose={() => setIsDeleting(false)}
        >
          <p>
            {hasMore ? 'All its messages' : `Its ${pluralize(conversation.messages.length, 'message')}`} are
            deleted for good. Credits already spent are not returned.
          </p>
        </ConfirmDialog>
      ) : null}
    </>
  );
}

/** Why a reply failed: the server's sentence and code, and what it means for the person reading. */
function FailureNote({ error }: { error: NonNullable<Message['error']> }) {
  const explanation = explainChatError(error);
  return (
    <div className="chat-error chat-error--provider transcript__error">
      <div className="chat-error__head">
        <Icon name="alert" size={16} />
        <strong>Why it failed: {error.message}</strong>
        <code>{error.code}</code>
      </div>
      <p>{explanation.description}</p>
    </div>
  );
}

function TranscriptMessage({ message }: { message: Message }) {
  const metadataFields = message.metadata === null ? 0 : Object.keys(message.metadata).length;
  const feedback = describeFeedback(message);
  return (
    <li className={`transcript__item transcript__item--${message.role}`}>
      <div className={`bubble-avatar bubble-avatar--${message.role}`} aria-hidden="true">
        <Icon name={message.role === 'user' ? 'user' : 'bot'} size={16} />
      </div>
      <article className="transcript__card">
        <header className="transcript__head">
          <strong>{message.role === 'user' ? 'User' : 'Assistant'}</strong>
          {message.status === 'complete' ? (
            // Most replies finish normally: no badge, but the status is still announced.
            <span className="visually-hidden transcript__status">Status: complete</span>
          ) : (
            <span className="transcript__status" title={STATUS_HINTS[message.status]}>
              <Badge tone={STATUS_TONES[message.status]}>{message.status}</Badge>
            </span>
          )}
          {feedback ? (
            <span className="transcript__feedback" title={feedback.hint}>
              <Badge tone={feedback.tone}>{feedback.label}</Badge>
            </span>
          ) : null}
          <time className="muted small" dateTime={message.createdAt}>
            {formatDateTime(message.createdAt)}
          </time>
          {message.usage ? <UsageLine usage={message.usage} /> : null}
        </header>
        <div className="transcript__content">
          {!message.content ? (
            <em className="muted">(no text)</em>
          ) : message.role === 'assistant' ? (
            <Markdown text={message.content} />
          ) : (
            message.content
          )}
        </div>
        {message.error ? <FailureNote error={message.error} /> : null}
        {metadataFields > 0 ? (
          <details className="transcript__metadata">
            <summary>Metadata ({pluralize(metadataFields, 'field')})</summary>
            <pre className="json">{formatJson(message.metadata)}</pre>
          </details>
        ) : null}
        <footer className="transcript__foot mono small muted">{message.id}</footer>
      </article>
    </li>
  );
}
