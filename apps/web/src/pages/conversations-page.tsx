import { type InputHTMLAttributes, useEffect, useState } from 'react';
import { listAllChatbots } from '../api/chatbots.ts';
import { listInbox } from '../api/conversations.ts';
import type { InboxConversation } from '../api/types.ts';
import { Button, LinkButton } from '../components/button.tsx';
import { Badge, EmptyState, Skeleton } from '../components/feedback.tsx';
import { Icon } from '../components/icons.tsx';
import { Card, PageHeader } from '../components/layout.tsx';
import { InlineMarkdown } from '../components/markdown.tsx';
import { ListCard } from '../components/table.tsx';
import { WidgetMarker } from '../components/widget-marker.tsx';
import { usePagedList, useResource } from '../hooks/use-resource.ts';
import { formatDateTime, formatRelativeTime, pluralize, truncate } from '../lib/format.ts';
import {
  checkDateRange,
  countActiveFilters,
  EMPTY_FILTERS,
  type InboxFilters,
  inboxQuery,
} from '../lib/inbox-filters.ts';
import { href } from '../lib/route.ts';
import './conversations-page.css';

/** Every conversation of the workspace, newest activity first, with filters. */
export function ConversationsPage({ initialChatbotId }: { initialChatbotId?: string }) {
  const chatbots = useResource((signal) => listAllChatbots(signal), []);
  const [draft, setDraft] = useState<InboxFilters>({ ...EMPTY_FILTERS, chatbotId: initialChatbotId ?? '' });
  const [filters, setFilters] = useState(draft);
  const rangeError = checkDateRange(draft);

  // Selects and dates apply at once; typed text after a short pause.
  useEffect(() => {
    if (rangeError) return;
    const timer = window.setTimeout(() => setFilters(draft), 350);
    return () => window.clearTimeout(timer);
  }, [draft, rangeError]);

  const list = usePagedList<InboxConversation>(
    (cursor, signal) => listInbox(inboxQuery(filters), cursor, signal),
    [JSON.stringify(filters)],
  );
  const activeCount = countActiveFilters(filters);
  const set = (field: keyof InboxFilters, value: string) =>
    setDraft((current) => ({ ...current, [field]: value }));

  return (
    <>
      <PageHeader
        title="Conversations"
        description="Every conversation across your chatbots, newest activity first."
        actions={
          <Button icon="refresh" onClick={list.reload}>
            Refresh
          </Button>
        }
      />
      <Card className="filters-card">
        <form
          className="filters"
          onSubmit={(event) => {
            event.preventDefault();
            if (!rangeError) setFilters(draft);
          }}
        >
          <label className="filters__field filters__field--search">
            <span className="visually-hidden">Search messages</span>
            <Icon name="search" size={16} className="filters__search-icon" />
            <input
              className="input"
              type="search"
              placeholder="Search message text…"
              value={draft.q}
              onChange={(event) => set('q', event.target.value)}
            />
          </label>
          <label className="filters__field">
            <span className="filters__label">Chatbot</span>
            <select
              className="input select"
              value={draft.chatbotId}
              onChange={(event) => set('chatbotId', event.target.value)}
            >
              <option value="">All chatbots</option>
              {(chatbots.data ?? []).map((chatbot) => (
                <option key={chatbot.id} value={chatbot.id}>
                  {chatbot.name}
                </option>
              ))}
            </select>
          </label>
          <FilterInput
            label="From"
            type="date"
            value={draft.from}
            max={draft.to || undefined}
            onValue={(value) => set('from', value)}
          />
          <FilterInput
            label="To"
            type="date"
            value={draft.to}
            min={draft.from || undefined}
            onValue={(value) => set('to', value)}
          />
          <FilterInput
            label="User ID"
            placeholder="metadata.userId"
            value={draft.userId}
            onValue={(value) => set('userId', value)}
          />
          {countActiveFilters(draft) > 0 ? (
            <Button
              variant="ghost"
              onClick={() => {
                setDraft(EMPTY_FILTERS);
                setFilters(EMPTY_FILTERS);
              }}
            >
              Clear filters
            </Button>
          ) : null}
        </form>
        {rangeError ? <p className="field__error">{rangeError}</p> : null}
      </Card>

      <ListCard
        list={list}
        emptyAs="content"
        empty={
          activeCount > 0 ? (
            <EmptyState icon="search" title="No conversation matches these filters">
              Try a wider date range or another search.
            </EmptyState>
          ) : (
            <EmptyState
              icon="inbox"
              title="No conversations yet"
              action={
                <LinkButton href="#/playground" variant="primary" icon="message">
                  Open the playground
                </LinkButton>
              }
            >
              Conversations appear here as soon as someone sends a chatbot a message, through the API, the
              playground or the website widget.
            </EmptyState>
          )
        }
      >
        {list.isLoading ? <InboxSkeleton /> : null}
        {!list.isLoading && list.items.length > 0 ? (
          <ul className="inbox">
            {list.items.map((conversation) => (
              <li key={conversation.id}>
                <a
                  className="inbox__row"
                  href={href(`/conversations/${conversation.chatbotId}/${conversation.id}`)}
                >
                  <div className="inbox__avatar" aria-hidden="true">
                    <Icon name="message" size={16} />
                  </div>
                  <div className="inbox__main">
                    <div className="inbox__top">
                      <Badge tone="accent">{conversation.chatbotName}</Badge>
                      <WidgetMarker conversation={conversation} />
                      <span className="muted small">{pluralize(conversation.messageCount, 'message')}</span>
                    </div>
                    <p className="inbox__preview">
                      {conversation.lastMessage ? (
                        <>
                          <span className="inbox__role">
                            {conversation.lastMessage.role === 'user' ? 'User' : 'Bot'}:
                          </span>{' '}
                          {conversation.lastMessage.content ? (
                            <InlineMarkdown text={truncate(conversation.lastMessage.content, 160)} />
                          ) : (
                            <em className="muted">(empty)</em>
                          )}
                        </>
                      ) : (
                        <em className="muted">No messages</em>
                      )}
                    </p>
                  </div>
                  <time
                    className="inbox__time muted small"
                    dateTime={conversation.updatedAt}
                    title={formatDateTime(conversation.updatedAt)}
                  >
                    {formatRelativeTime(conversation.updatedAt)}
                  </time>
                  <Icon name="chevronRight" size={16} className="inbox__chevron" />
                </a>
              </li>
            ))}
          </ul>
        ) : null}
      </ListCard>
    </>
  );
}

function InboxSkeleton() {
  return (
    <ul className="inbox" aria-hidden="true">
      {[0, 1, 2, 3, 4].map((row) => (
        <li key={row} className="inbox__row inbox__row--skeleton">
          <Skeleton width={32} height={32} className="skeleton--round" />
          <div className="inbox__main stack stack--sm">
            <Skeleton width={120} />
            <Skeleton width={`${55 + row * 7}%`} />
          </div>
          <Skeleton width={60} />
        </li>
      ))}
    </ul>
  );
}

/** A labelled text or date input of the inbox filters. */
function FilterInput({
  label,
  onValue,
  ...input
}: { label: string; onValue: (value: string) => void } & Omit<
  InputHTMLAttributes<HTMLInputElement>,
  'className' | 'onChange'
>) {
  return (
    <label className="filters__field">
      <span className="filters__label">{label}</span>
      <input {...input} className="input" onChange={(event) => onValue(event.target.value)} />
    </label>
  );
}
