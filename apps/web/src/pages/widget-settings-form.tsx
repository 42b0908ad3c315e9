import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { WidgetConfig, WidgetSettings } from '../api/types.ts';
import { canFrameWidgetPreview, updateWidgetSettings, widgetPreviewPath } from '../api/widget.ts';
import { Button } from '../components/button.tsx';
import { Callout, Skeleton } from '../components/feedback.tsx';
import { useToast } from '../components/toast.tsx';
import { useFormSubmit } from '../hooks/use-form-submit.ts';
import { useResource } from '../hooks/use-resource.ts';
import {
  previewSettings,
  settingsToValues,
  validateWidgetForm,
  valuesToSettings,
  type WidgetField,
  type WidgetFormValues,
  widgetFieldOf,
} from '../lib/widget-form.ts';
import { WidgetFields } from './widget-fields.tsx';
import '../styles/save-bar.css';

/** The widget's appearance and behaviour, saved with PUT …/widget, beside a live preview of the panel. */
export function WidgetSettingsForm({
  chatbotId,
  config,
  onSaved,
}: {
  chatbotId: string;
  config: WidgetConfig;
  onSaved: (config: WidgetConfig) => void;
}) {
  const toast = useToast();
  const [saved, setSaved] = useState<WidgetSettings>(config.settings);
  const savedValues = useMemo(() => settingsToValues(saved), [saved]);
  const [values, setValues] = useState<WidgetFormValues>(savedValues);
  const isDirty = JSON.stringify(values) !== JSON.stringify(savedValues);

  useEffect(() => {
    if (!isDirty) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [isDirty]);

  const form = useFormSubmit<WidgetField, WidgetConfig>({
    validate: () => validateWidgetForm(values),
    submit: () => updateWidgetSettings(chatbotId, valuesToSettings(values)),
    onSuccess: (answer) => {
      setSaved(answer.settings);
      setValues(settingsToValues(answer.settings));
      onSaved(answer);
      toast.success('Widget saved', 'Visitors see the changes the next time the widget loads.');
    },
    fieldOf: widgetFieldOf,
    invalidMessage: 'Some settings need attention.',
    failureTitle: 'Could not save the widget',
  });

  const change = <Field extends WidgetField>(field: Field, value: WidgetFormValues[Field]) => {
    setValues((previous) => ({ ...previous, [field]: value }));
    form.clearError(field);
  };

  return (
    <form className="deploy__settings" onSubmit={form.handleSubmit} noValidate>
      <div className="deploy__settings-grid">
        <div className="stack stack--lg">
          {form.formError ? <Callout tone="danger">{form.formError}</Callout> : null}
          <WidgetFields values={values} errors={form.errors} onChange={change} />
        </div>
        <WidgetPreview chatbotId={chatbotId} settings={previewSettings(values, saved)} />
      </div>
      <div className={`save-bar${isDirty ? ' save-bar--visible' : ''}`}>
        <span className="save-bar__text">The widget has unsaved changes.</span>
        <div className="save-bar__actions">
          <Button
            onClick={() => {
              setValues(savedValues);
              form.setErrors(() => ({}));
              form.setFormError(undefined);
            }}
            disabled={!isDirty || form.isPending}
          >
            Discard
          </Button>
          <Button type="submit" variant="primary" isLoading={form.isPending} disabled={!isDirty}>
            Save widget
          </Button>
        </div>
      </div>
    </form>
  );
}

/**
 * The widget's panel as visitors will see it: PollyBot's own preview page in a frame, sent the form's
 * current settings on every change, and only to this origin. A server that cannot serve it (the widget is
 * not built) gets a note instead of a frame the browser would refuse.
 */
function WidgetPreview({ chatbotId, settings }: { chatbotId: string; settings: WidgetSettings }) {
  const isAvailable = useResource((signal) => canFrameWidgetPreview(chatbotId, signal), [chatbotId]);
  const frame = useRef<HTMLIFrameElement>(null);
  // The settings as text, so that an unchanged form posts nothing again.
  const message = JSON.stringify(settings);
  const post = useCallback(() => {
    frame.current?.contentWindow?.postMessage(JSON.parse(message), window.location.origin);
  }, [message]);
  useEffect(post, [post]);
  return (
    <aside className="deploy__preview" aria-label="Widget preview">
      <div className="deploy__preview-head">
        <span className="field__label">Live preview</span>
        <span className="muted small">Sample messages, with your unsaved changes</span>
      </div>
      {isAvailable.data ? (
        <iframe
          ref={frame}
          className="deploy__preview-frame"
          title="Widget preview"
          src={widgetPreviewPath(chatbotId)}
          onLoad={post}
        />
      ) : (
        <div className="deploy__preview-frame deploy__preview-note" role="status">
          {isAvailable.isLoading ? (
            <Skeleton width="60%" />
          ) : (
            <p className="muted small">
              The preview shows once this server has the widget’s build (<code>npm run build</code>). Your
              settings are saved either way.
            </p>
          )}
        </div>
      )}
    </aside>
  );
}
