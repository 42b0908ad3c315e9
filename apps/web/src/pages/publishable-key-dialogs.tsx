import { useState } from 'react';
import type { PublishableKey } from '../api/types.ts';
import { createPublishableKey, updatePublishableKey } from '../api/widget.ts';
import { Button } from '../components/button.tsx';
import { Dialog, DialogFormActions } from '../components/dialog.tsx';
import { Field } from '../components/form.tsx';
import { useFormSubmit } from '../hooks/use-form-submit.ts';
import { describeOriginErrors, formatOrigins, parseOrigins } from '../lib/widget-origins.ts';

// Making a publishable key and changing the sites it serves: the same "allowed origins" box, checked line
// by line before anything is sent.

const ORIGINS_HINT = (
  <>
    One site per line, as <code>https://www.example.com</code> (scheme, host and port if any; no path). With
    no site listed, the key refuses every page.
  </>
);

/**
 * The allowed origins box and its submit, for a new key (no `publishableKey`) or to edit a key's sites; in a
 * dialog with `onCancel`, else on the page with its submit button alone.
 */
export function KeyOriginsForm({
  chatbotId,
  publishableKey,
  submitLabel,
  onDone,
  onCancel,
}: {
  chatbotId: string;
  publishableKey?: PublishableKey;
  submitLabel: string;
  onDone: (key: PublishableKey) => void;
  onCancel?: () => void;
}) {
  const [text, setText] = useState(publishableKey ? formatOrigins(publishableKey.allowedOrigins) : '');
  const [name, setName] = useState('');
  const form = useFormSubmit<'allowedOrigins' | 'name', PublishableKey>({
    validate: () => {
      const error = describeOriginErrors(parseOrigins(text));
      if (error) return { allowedOrigins: error };
      if (name.trim().length > 200) return { name: 'Keep the name under 200 characters.' };
      return {};
    },
    submit: () => {
      const { origins } = parseOrigins(text);
      return publishableKey
        ? updatePublishableKey(chatbotId, publishableKey.id, origins)
        : createPublishableKey(chatbotId, { allowedOrigins: origins, name: name.trim() || undefined });
    },
    onSuccess: onDone,
    fieldOf: (path) =>
      path.startsWith('allowedOrigins') ? 'allowedOrigins' : path === 'name' ? 'name' : undefined,
    messageField: 'allowedOrigins',
    failureTitle: publishableKey ? 'Could not change the sites' : 'Could not create the key',
  });
  const submit = onCancel ? (
    <DialogFormActions submitLabel={submitLabel} isPending={form.isPending} onCancel={onCancel} />
  ) : (
    <div className="form__actions">
      <Button type="submit" variant="primary" icon="key" isLoading={form.isPending}>
        {submitLabel}
      </Button>
    </div>
  );
  return (
    <form className="form" onSubmit={form.handleSubmit} noValidate>
      <Field label="Allowed origins" error={form.errors.allowedOrigins} hint={ORIGINS_HINT}>
        {(props) => (
          <textarea
            {...props}
            className="input textarea input--mono deploy__origins"
            rows={4}
            spellCheck={false}
            autoCapitalize="off"
            placeholder={'https://www.example.com\nhttps://shop.example.com'}
            value={text}
            onChange={(event) => {
              setText(event.target.value);
              form.clearError('allowedOrigins');
            }}
          />
        )}
      </Field>
      {publishableKey ? null : (
        <Field
          label="Name"
          optional
          error={form.errors.name}
          hint="Only you see it: where the key is used, e.g. “Main site”."
        >
          {(props) => (
            <input
              {...props}
              className="input"
              value={name}
              maxLength={200}
              onChange={(event) => {
                setName(event.target.value);
                form.clearError('name');
              }}
            />
          )}
        </Field>
      )}
      {form.formError ? <p className="field__error">{form.formError}</p> : null}
      {submit}
    </form>
  );
}

/** "New publishable key" in a dialog. */
export function CreateKeyDialog({
  chatbotId,
  onClose,
  onCreated,
}: {
  chatbotId: string;
  onClose: () => void;
  onCreated: (key: PublishableKey) => void;
}) {
  return (
    <Dialog
      title="Create a publishable key"
      description="Each key lists the sites that may show the widget; make one per site or environment."
      onClose={onClose}
    >
      <KeyOriginsForm
        chatbotId={chatbotId}
        submitLabel="Create publishable key"
        onDone={onCreated}
        onCancel={onClose}
      />
    </Dialog>
  );
}

/** "Edit sites" of a key in a dialog. */
export function EditOriginsDialog({
  chatbotId,
  publishableKey,
  onClose,
  onSaved,
}: {
  chatbotId: string;
  publishableKey: PublishableKey;
  onClose: () => void;
  onSaved: (key: PublishableKey) => void;
}) {
  return (
    <Dialog
      title="Edit allowed origins"
      description={<span className="mono break">{publishableKey.key}</span>}
      onClose={onClose}
    >
      <KeyOriginsForm
        chatbotId={chatbotId}
        publishableKey={publishableKey}
        submitLabel="Save origins"
        onDone={onSaved}
        onCancel={onClose}
      />
    </Dialog>
  );
}
