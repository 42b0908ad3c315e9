import { useState } from 'react';
import type { PublishableKey } from '../api/types.ts';
import { revokePublishableKey } from '../api/widget.ts';
import { Button } from '../components/button.tsx';
import { CodeBlock } from '../components/copy.tsx';
import { ConfirmDialog } from '../components/dialog.tsx';
import { Badge, Skeleton } from '../components/feedback.tsx';
import { Card } from '../components/layout.tsx';
import { ListCard, Table } from '../components/table.tsx';
import { useToast } from '../components/toast.tsx';
import type { PagedList } from '../hooks/use-resource.ts';
import { formatDateTime, formatRelativeTime, pluralize } from '../lib/format.ts';
import { buildEmbedSnippet } from '../lib/widget-snippets.ts';
import { CreateKeyDialog, EditOriginsDialog, KeyOriginsForm } from './publishable-key-dialogs.tsx';

/** The Deploy page's embed snippet and the chatbot's publishable keys: create, edit sites, revoke. */
export function DeployKeys({ chatbotId, keys }: { chatbotId: string; keys: PagedList<PublishableKey> }) {
  const toast = useToast();
  const [selectedId, setSelectedId] = useState<string>();
  const [isCreating, setIsCreating] = useState(false);
  const [toEdit, setToEdit] = useState<PublishableKey>();
  const [toRevoke, setToRevoke] = useState<PublishableKey>();
  const liveKeys = keys.items.filter((key) => !key.revokedAt);
  const selected = liveKeys.find((key) => key.id === selectedId) ?? liveKeys[0];

  const replace = (key: PublishableKey) =>
    keys.setItems((items) => items.map((item) => (item.id === key.id ? key : item)));
  const add = (key: PublishableKey) => {
    keys.setItems((items) => [key, ...items.filter((item) => item.id !== key.id)]);
    setSelectedId(key.id);
    toast.success(
      'Publishable key created',
      key.allowedOrigins.length > 0
        ? `The widget now answers on ${pluralize(key.allowedOrigins.length, 'site')}.`
        : 'No site is listed yet: the widget refuses every page until you add one.',
    );
  };
  const revoke = async (key: PublishableKey) => {
    try {
      await revokePublishableKey(chatbotId, key.id);
      replace({ ...key, revokedAt: new Date().toISOString() });
      toast.success('Publishable key revoked', 'Pages that embed it no longer get a widget.');
    } catch (error) {
      toast.error('Could not revoke the key', error);
      throw error;
    }
  };

  return (
    <>
      <Card
        title="Embed on your site"
        description="Paste this tag into every page that should show the chat bubble, just before </body>."
      >
        {keys.isLoading && keys.items.length === 0 ? <Skeleton height={60} /> : null}
        {!keys.isLoading && !keys.error && !selected ? (
          <div className="deploy__first-step">
            <h3 className="deploy__step-title">Create a publishable key</h3>
            <p className="muted">
              The snippet needs a publishable key: it ties the widget to this chatbot and to the sites you
              list here.
            </p>
            <KeyOriginsForm chatbotId={chatbotId} submitLabel="Create publishable key" onDone={add} />
          </div>
        ) : null}
        {selected ? (
          <div className="stack">
            {liveKeys.length > 1 ? (
              <label className="deploy__key-picker">
                <span className="field__label">Publishable key</span>
                <select
                  className="input select input--mono"
                  value={selected.id}
                  onChange={(event) => setSelectedId(event.target.value)}
                >
                  {liveKeys.map((key) => (
                    <option key={key.id} value={key.id}>
                      {key.name ? `${key.name}: ` : ''}
                      {key.key}
                    </option>
                  ))}
                </select>
              </label>
            ) : null}
            <CodeBlock code={buildEmbedSnippet(window.location.origin, selected.key)} label="HTML" />
            <p className="muted small">
              {selected.allowedOrigins.length > 0
                ? `Shows on ${selected.allowedOrigins.join(', ')}.`
                : 'This key lists no site yet, so every page is refused: edit its allowed origins below.'}
            </p>
          </div>
        ) : null}
      </Card>
      <ListCard
        list={keys}
        title="Publishable keys"
        description="Public keys for the widget, each bound to this chatbot and to the sites it lists."
        errorAs="card"
      >
        <Table
          label="Publishable keys"
          columns={[
            { label: 'Key' },
            { label: 'Allowed origins' },
            { label: 'Created', className: 'hide-sm' },
            { label: 'Status' },
          ]}
          items={keys.items}
          isLoading={keys.isLoading && keys.items.length === 0}
          skeletonRows={2}
          rowKey={(key) => key.id}
          rowClassName={(key) => (key.revokedAt ? 'table__row--muted' : undefined)}
          cells={(key) => (
            <>
              <td className="deploy__key-cell">
                {key.name ? <div className="table__strong">{key.name}</div> : null}
                <span className="chip mono break">{key.key}</span>
              </td>
              <td>
                {key.allowedOrigins.length > 0 ? (
                  <ul className="deploy__origin-list">
                    {key.allowedOrigins.map((origin) => (
                      <li key={origin} className="mono small break">
                        {origin}
                      </li>
                    ))}
                  </ul>
                ) : (
                  <Badge tone="warning">No site: refuses every page</Badge>
                )}
              </td>
              <td className="nowrap hide-sm" title={key.createdAt}>
                {formatDateTime(key.createdAt)}
              </td>
              <td>
                {key.revokedAt ? (
                  <span title={`Revoked ${formatDateTime(key.revokedAt)}`}>
                    <Badge tone="danger">Revoked</Badge>{' '}
                    <span className="muted small">{formatRelativeTime(key.revokedAt)}</span>
                  </span>
                ) : (
                  <Badge tone="success" dot>
                    Active
                  </Badge>
                )}
              </td>
            </>
          )}
          actions={(key) =>
            key.revokedAt ? null : (
              <>
                <Button size="sm" variant="ghost" icon="edit" onClick={() => setToEdit(key)}>
                  Edit origins
                </Button>
                <Button size="sm" variant="danger" onClick={() => setToRevoke(key)}>
                  Revoke
                </Button>
              </>
            )
          }
        />
        <div className="deploy__keys-footer">
          <Button icon="plus" onClick={() => setIsCreating(true)}>
            New publishable key
          </Button>
        </div>
      </ListCard>
      {isCreating ? (
        <CreateKeyDialog
          chatbotId={chatbotId}
          onClose={() => setIsCreating(false)}
          onCreated={(key) => {
            setIsCreating(false);
            add(key);
          }}
        />
      ) : null}
      {toEdit ? (
        <EditOriginsDialog
          chatbotId={chatbotId}
          publishableKey={toEdit}
          onClose={() => setToEdit(undefined)}
          onSaved={(key) => {
            setToEdit(undefined);
            replace(key);
            toast.success('Allowed origins saved', 'The widget follows the new list at once.');
          }}
        />
      ) : null}
      {toRevoke ? (
        <ConfirmDialog
          title="Revoke this publishable key?"
          confirmLabel="Revoke key"
          onConfirm={() => revoke(toRevoke)}
          onClose={() => setToRevoke(undefined)}
        >
          <p>
            Every page that embeds <code className="break">{toRevoke.key}</code> stops showing the widget at
            once. This cannot be undone.
          </p>
        </ConfirmDialog>
      ) : null}
    </>
  );
}
