import { useState } from 'react';
import type { ApiKey, ApiKeyCreated } from '../api/types.ts';
import { createApiKey, listApiKeys, listMembers, revokeApiKey } from '../api/workspace.ts';
import { Button } from '../components/button.tsx';
import { SecretField } from '../components/copy.tsx';
import { ConfirmDialog, Dialog, DialogFormActions } from '../components/dialog.tsx';
import { Badge, Callout, EmptyState } from '../components/feedback.tsx';
import { Field } from '../components/form.tsx';
import { PageHeader } from '../components/layout.tsx';
import { ListCard, Table } from '../components/table.tsx';
import { useToast } from '../components/toast.tsx';
import { useFormSubmit } from '../hooks/use-form-submit.ts';
import { useRefreshOnReturn } from '../hooks/use-refresh-on-return.ts';
import { usePagedList, useResource } from '../hooks/use-resource.ts';
import { formatDateTime, formatRelativeTime } from '../lib/format.ts';

/** Workspace API keys: create (the secret is shown once), see when each was used, revoke. */
export function ApiKeysPage() {
  const toast = useToast();
  const list = usePagedList<ApiKey>((cursor, signal) => listApiKeys(cursor, signal), []);
  // Who made each key, by name: people of the workspace; anyone else has left it (or was never a person).
  const members = useResource((signal) => listMembers(signal), []);
  const creatorOf = (key: ApiKey): string => {
    if (!key.createdBy) return 'Created by the operator, the demo or an API key';
    const member = members.data?.find((person) => person.userId === key.createdBy);
    return member ? `Created by ${member.name}` : 'Created by a former member';
  };
  const [isCreating, setIsCreating] = useState(false);
  const [created, setCreated] = useState<ApiKeyCreated>();
  const [toRevoke, setToRevoke] = useState<ApiKey>();
  // "Last used" changes behind the page's back: re-read the list when the reader comes back to it.
  useRefreshOnReturn(list.reload);

  const revoke = async (key: ApiKey) => {
    try {
      await revokeApiKey(key.id);
      const revokedAt = new Date().toISOString();
      list.setItems((items) => items.map((item) => (item.id === key.id ? { ...item, revokedAt } : item)));
      list.reload();
      toast.success('API key revoked', `Requests with ${key.prefix}… now get 401.`);
    } catch (error) {
      toast.error('Could not revoke the key', error);
      throw error;
    }
  };

  const newKeyButton = (
    <Button variant="primary" icon="plus" onClick={() => setIsCreating(true)}>
      Create API key
    </Button>
  );

  return (
    <>
      <PageHeader
        title="API keys"
        description="Your software calls PollyBot with a workspace key: Authorization: Bearer sk-workspace_…"
        actions={newKeyButton}
      />
      <ListCard
        list={list}
        empty={
          <EmptyState icon="key" title="No API keys yet" action={newKeyButton}>
            Create a key for each app or environment, so that you can revoke one without touching the others.
          </EmptyState>
        }
      >
        <Table
          columns={[
            { label: 'Name' },
            { label: 'Key' },
            { label: 'Created' },
            { label: 'Last used' },
            { label: 'Status' },
          ]}
          items={list.items}
          isLoading={list.isLoading && list.items.length === 0}
          rowKey={(key) => key.id}
          rowClassName={(key) => (key.revokedAt ? 'table__row--muted' : undefined)}
          cells={(key) => (
            <>
              <td>
                <div className="table__strong">{key.name}</div>
                <div className="table__sub">{creatorOf(key)}</div>
              </td>
              <td>
                <span className="chip mono">{key.prefix}…</span>
              </td>
              <td className="nowrap" title={key.createdAt}>
                {formatDateTime(key.createdAt)}
              </td>
              <td className="nowrap" title={key.lastUsedAt ?? undefined}>
                {key.lastUsedAt ? formatRelativeTime(key.lastUsedAt) : <span className="muted">Never</span>}
              </td>
              <td>
                {key.revokedAt ? (
                  <span className="status-since" title={`Revoked ${formatDateTime(key.revokedAt)}`}>
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
              <Button size="sm" variant="danger" onClick={() => setToRevoke(key)}>
                Revoke
              </Button>
            )
          }
        />
      </ListCard>
      {isCreating ? (
        <CreateKeyDialog
          onClose={() => setIsCreating(false)}
          onCreated={(key) => {
            setIsCreating(false);
            setCreated(key);
            list.setItems((items) => [
              {
                id: key.id,
                name: key.name,
                prefix: key.prefix,
                createdBy: key.createdBy,
                createdAt: key.createdAt,
                lastUsedAt: null,
                revokedAt: null,
              },
              ...items,
            ]);
            list.reload();
          }}
        />
      ) : null}
      {created ? (
        <Dialog
          title="Your new API key"
          description={`“${created.name}” is ready.`}
          onClose={() => setCreated(undefined)}
          footer={
            <Button variant="primary" onClick={() => setCreated(undefined)}>
              I have stored it safely
            </Button>
          }
        >
          <div className="stack">
            <Callout tone="warning" title="Copy it now: it is shown only once">
              PollyBot keeps only a hash of the key. If you lose it, revoke it and create another.
            </Callout>
            <SecretField value={created.key} label="API key" />
            <p className="muted small">
              Send it as <code>Authorization: Bearer {created.prefix}…</code>. Keep it on your server, never
              in a web page or app bundle.
            </p>
          </div>
        </Dialog>
      ) : null}
      {toRevoke ? (
        <ConfirmDialog
          title={`Revoke “${toRevoke.name}”?`}
          confirmLabel="Revoke key"
          onConfirm={() => revoke(toRevoke)}
          onClose={() => setToRevoke(undefined)}
        >
          <p>
            Every request that uses <code>{toRevoke.prefix}…</code> will be refused with 401 at once. This
            cannot be undone.
          </p>
        </ConfirmDialog>
      ) : null}
    </>
  );
}

function CreateKeyDialog({
  onClose,
  onCreated,
}: {
  onClose: () => void;
  onCreated: (key: ApiKeyCreated) => void;
}) {
  const [name, setName] = useState('');
  const form = useFormSubmit<'name', ApiKeyCreated>({
    validate: () => {
      const trimmed = name.trim();
      if (!trimmed) return { name: 'Name the key after where it will be used, e.g. “Production website”.' };
      if (trimmed.length > 200) return { name: 'Keep the name under 200 characters.' };
      return {};
    },
    submit: () => createApiKey(name.trim()),
    onSuccess: onCreated,
    fieldOf: (path) => (path === 'name' ? 'name' : undefined),
    messageField: 'name',
    failureTitle: 'Could not create the key',
  });
  return (
    <Dialog
      title="Create an API key"
      description="The key can call every chatbot of this workspace and manage its resources."
      onClose={onClose}
      isBusy={form.isPending}
      size="sm"
    >
      <form className="form" onSubmit={form.handleSubmit} noValidate>
        <Field
          label="Name"
          error={form.errors.name}
          hint="Only you see it; it helps you recognise the key later."
        >
          {(props) => (
            <input
              {...props}
              className="input"
              autoFocus
              placeholder="Production website"
              value={name}
              onChange={(event) => {
                setName(event.target.value);
                form.clearError('name');
              }}
            />
          )}
        </Field>
        <DialogFormActions submitLabel="Create key" isPending={form.isPending} onCancel={onClose} />
      </form>
    </Dialog>
  );
}
