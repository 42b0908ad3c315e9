import { useState } from 'react';
import { listChatbots } from '../api/chatbots.ts';
import type { Chatbot } from '../api/types.ts';
import { IconButton, IconLink } from '../components/button.tsx';
import { Badge, EmptyState } from '../components/feedback.tsx';
import { PageHeader } from '../components/layout.tsx';
import { ListCard, Table } from '../components/table.tsx';
import { usePagedList } from '../hooks/use-resource.ts';
import { formatRateLimit, formatRelativeTime } from '../lib/format.ts';
import { href } from '../lib/route.ts';
import { DeleteChatbotDialog } from './delete-chatbot-dialog.tsx';
import { NewChatbotLink } from './new-chatbot-link.tsx';

/** The workspace's chatbots, with their model, status and limits at a glance. */
export function ChatbotsPage() {
  const list = usePagedList<Chatbot>((cursor, signal) => listChatbots(cursor, signal), []);
  const [toDelete, setToDelete] = useState<Chatbot>();

  return (
    <>
      <PageHeader
        title="Chatbots"
        description="Each chatbot answers through one model with its own instructions, limits and conversations."
        actions={<NewChatbotLink />}
      />
      <ListCard
        list={list}
        empty={
          <EmptyState icon="bot" title="Create your first chatbot" action={<NewChatbotLink />}>
            Give it a name and instructions, pick a model, and call it from your app with an API key.
          </EmptyState>
        }
      >
        <Table
          columns={[
            { label: 'Name' },
            { label: 'Model', className: 'hide-sm' },
            { label: 'Status' },
            { label: 'Streaming', className: 'hide-sm' },
            { label: 'Rate limit', className: 'hide-sm' },
            { label: 'Updated', className: 'hide-sm' },
          ]}
          items={list.items}
          isLoading={list.isLoading}
          rowKey={(chatbot) => chatbot.id}
          cells={(chatbot) => (
            <>
              <td>
                <a className="table__primary-link" href={href(`/chatbots/${chatbot.id}`)}>
                  {chatbot.name}
                </a>
                <div className="table__sub mono hide-sm">{chatbot.id}</div>
              </td>
              <td className="hide-sm">
                <span className="chip mono">{chatbot.model}</span>
              </td>
              <td>
                <Badge tone={chatbot.status === 'active' ? 'success' : 'neutral'} dot>
                  {chatbot.status === 'active' ? 'Active' : 'Inactive'}
                </Badge>
              </td>
              <td className="hide-sm">
                {chatbot.streaming ? (
                  <Badge tone="info">Streaming</Badge>
                ) : (
                  <span className="muted">Off</span>
                )}
              </td>
              <td className="nowrap hide-sm">{formatRateLimit(chatbot.rateLimit)}</td>
              <td className="nowrap muted hide-sm" title={chatbot.updatedAt}>
                {formatRelativeTime(chatbot.updatedAt)}
              </td>
            </>
          )}
          actions={(chatbot) => (
            <>
              <IconLink
                icon="message"
                href={href('/playground', { chatbot: chatbot.id })}
                title="Open in playground"
                label={`Open ${chatbot.name} in the playground`}
              />
              <IconLink
                icon="book"
                href={href(`/chatbots/${chatbot.id}/knowledge`)}
                title="Knowledge"
                label={`Knowledge of ${chatbot.name}`}
              />
              <IconLink
                icon="globe"
                href={href(`/chatbots/${chatbot.id}/deploy`)}
                title="Deploy on a website"
                label={`Deploy ${chatbot.name} on a website`}
              />
              <IconLink
                icon="code"
                className="hide-sm"
                href={href('/getting-started', { chatbot: chatbot.id })}
                title="Get code"
                label={`Code to call ${chatbot.name}`}
              />
              <IconLink
                icon="edit"
                className="hide-sm"
                href={href(`/chatbots/${chatbot.id}`)}
                title="Edit"
                label={`Edit ${chatbot.name}`}
              />
              <IconButton
                icon="trash"
                danger
                title="Delete"
                label={`Delete ${chatbot.name}`}
                onClick={() => setToDelete(chatbot)}
              />
            </>
          )}
        />
      </ListCard>
      {toDelete ? (
        <DeleteChatbotDialog
          chatbot={toDelete}
          onDeleted={() => list.setItems((items) => items.filter((item) => item.id !== toDelete.id))}
          onClose={() => setToDelete(undefined)}
        />
      ) : null}
    </>
  );
}
