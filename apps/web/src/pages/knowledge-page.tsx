import { useState } from 'react';
import { getChatbot } from '../api/chatbots.ts';
import { ApiError } from '../api/client.ts';
import { deleteKnowledgeSource, listKnowledgeSources, resyncKnowledgeSource } from '../api/knowledge.ts';
import type { KnowledgeSource } from '../api/types.ts';
import { Button, IconButton, LinkButton } from '../components/button.tsx';
import { ConfirmDialog } from '../components/dialog.tsx';
import { EmptyState } from '../components/feedback.tsx';
import { PageHeader } from '../components/layout.tsx';
import { SourceStatus } from '../components/source-status.tsx';
import { ListCard, Table } from '../components/table.tsx';
import { useToast } from '../components/toast.tsx';
import { usePagedList, useResource } from '../hooks/use-resource.ts';
import { useSourcePolling } from '../hooks/use-source-polling.ts';
import { formatDateTime, formatRelativeTime } from '../lib/format.ts';
import { applySourceUpdates, describeSourceKind, describeSourceOrigin } from '../lib/knowledge-sources.ts';
import { href } from '../lib/route.ts';
import { ChatbotNotFound } from './chatbot-not-found.tsx';
import { KnowledgeAddDialog } from './knowledge-add-dialog.tsx';
import { KnowledgeSourceDialog } from './knowledge-source-dialog.tsx';
import './knowledge-page.css';

/** A chatbot's knowledge sources: what it answers from, how far each is in being read, and adding more. */
export function KnowledgePage({ chatbotId }: { chatbotId: string }) {
  const toast = useToast();
  const chatbot = useResource((signal) => getChatbot(chatbotId, signal), [chatbotId]);
  const list = usePagedList<KnowledgeSource>(
    (cursor, signal) => listKnowledgeSources(chatbotId, cursor, signal),
    [chatbotId],
  );
  const [isAdding, setIsAdding] = useState(false);
  const [toView, setToView] = useState<KnowledgeSource>();
  const [toDelete, setToDelete] = useState<KnowledgeSource>();
  const [resyncing, setResyncing] = useState<ReadonlySet<string>>(new Set());

  useSourcePolling(chatbotId, list.items, ({ fresh, goneIds }) =>
    list.setItems((items) => applySourceUpdates(items, fresh, goneIds)),
  );

  const replace = (source: KnowledgeSource) =>
    list.setItems((items) => items.map((item) => (item.id === source.id ? source : item)));

  const resync = async (source: KnowledgeSource) => {
    setResyncing((ids) => new Set(ids).add(source.id));
    try {
      replace(await resyncKnowledgeSource(chatbotId, source.id));
      toast.success(
        'Re-sync queued',
        `“${source.title}” is read again; its current chunks answer until then.`,
      );
    } catch (error) {
      toast.error('Could not re-sync the source', error);
    } finally {
      setResyncing((ids) => {
        const next = new Set(ids);
        next.delete(source.id);
        return next;
      });
    }
  };

  const remove = async (source: KnowledgeSource) => {
    try {
      await deleteKnowledgeSource(chatbotId, source.id);
      list.setItems((items) => items.filter((item) => item.id !== source.id));
      toast.success('Source deleted', `Replies no longer draw on “${source.title}”.`);
    } catch (error) {
      toast.error('Could not delete the source', error);
      throw error;
    }
  };

  const name = chatbot.data?.name;
  const back = {
    href: href(`/chatbots/${chatbotId}`),
    label: name ? `${name} settings` : 'Chatbot settings',
  };
  const notFound = [chatbot.error, list.error].some(
    (error) => error instanceof ApiError && error.code === 'CHATBOT_NOT_FOUND',
  );
  if (notFound) {
    return <ChatbotNotFound title="Knowledge" />;
  }

  const addButton = (
    <Button variant="primary" icon="plus" onClick={() => setIsAdding(true)}>
      Add knowledge
    </Button>
  );

  return (
    <>
      <PageHeader
        back={back}
        title="Knowledge"
        description={
          <>
            What {name ?? 'this chatbot'} answers from. Each source is read and indexed in the background;
            replies cite the sources they draw on.
          </>
        }
        actions={
          <>
            <LinkButton href={href(`/chatbots/${chatbotId}/deploy`)} icon="globe">
              Deploy
            </LinkButton>
            <LinkButton href={href('/playground', { chatbot: chatbotId })} icon="message">
              Open playground
            </LinkButton>
            {addButton}
          </>
        }
      />
      <ListCard
        list={list}
        empty={
          <EmptyState icon="book" title="No knowledge yet" action={addButton}>
            Add your help articles, policies and FAQs as text, question-and-answer pairs, files or web pages.
            The chatbot then answers from them and names its sources.
          </EmptyState>
        }
      >
        <Table
          columns={[
            { label: 'Source' },
            { label: 'Kind', className: 'hide-sm' },
            { label: 'Status' },
            { label: 'Added', className: 'hide-sm' },
          ]}
          items={list.items}
          isLoading={list.isLoading}
          skeletonRows={3}
          rowKey={(source) => source.id}
          cells={(source) => {
            const origin = describeSourceOrigin(source);
            return (
              <>
                <td className="source-cell">
                  <span className="table__strong">{source.title}</span>
                  {origin ? <div className="table__sub break">{origin}</div> : null}
                </td>
                <td className="hide-sm">
                  <span className="chip">{describeSourceKind(source)}</span>
                </td>
                <td className="status-cell">
                  <SourceStatus source={source} />
                </td>
                <td className="nowrap muted hide-sm" title={formatDateTime(source.createdAt)}>
                  {formatRelativeTime(source.createdAt)}
                </td>
              </>
            );
          }}
          actions={(source) => (
            <>
              <Button size="sm" variant="ghost" icon="eye" onClick={() => setToView(source)}>
                View
              </Button>
              <Button
                size="sm"
                variant="ghost"
                icon="refresh"
                isLoading={resyncing.has(source.id)}
                onClick={() => void resync(source)}
              >
                Re-sync
              </Button>
              <IconButton
                icon="trash"
                danger
                title="Delete"
                label={`Delete ${source.title}`}
                onClick={() => setToDelete(source)}
              />
            </>
          )}
        />
      </ListCard>
      {isAdding ? (
        <KnowledgeAddDialog
          chatbotId={chatbotId}
          onClose={() => setIsAdding(false)}
          onAdded={(source) => {
            setIsAdding(false);
            list.setItems((items) => [source, ...items.filter((item) => item.id !== source.id)]);
            toast.success('Knowledge added', `“${source.title}” is being read; it answers once it is ready.`);
          }}
        />
      ) : null}
      {toView ? (
        <KnowledgeSourceDialog
          chatbotId={chatbotId}
          source={toView}
          onLoaded={replace}
          onClose={() => setToView(undefined)}
        />
      ) : null}
      {toDelete ? (
        <ConfirmDialog
          title={`Delete “${toDelete.title}”?`}
          confirmLabel="Delete source"
          onConfirm={() => remove(toDelete)}
          onClose={() => setToDelete(undefined)}
        >
          <p>
            The source and its chunks are deleted for good
            {toDelete.kind === 'file' ? ', with the uploaded file' : ''}. Replies stop drawing on it at once.
          </p>
        </ConfirmDialog>
      ) : null}
    </>
  );
}
