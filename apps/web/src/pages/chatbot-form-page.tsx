import { useEffect, useMemo, useState } from 'react';
import { createChatbot, getChatbot, listModels, updateChatbot } from '../api/chatbots.ts';
import { ApiError } from '../api/client.ts';
import type { Chatbot, ModelCatalog } from '../api/types.ts';
import { Button, LinkButton } from '../components/button.tsx';
import { Callout, ErrorState, Skeleton } from '../components/feedback.tsx';
import { Card, PageHeader } from '../components/layout.tsx';
import { useToast } from '../components/toast.tsx';
import { useFormSubmit } from '../hooks/use-form-submit.ts';
import { useResource } from '../hooks/use-resource.ts';
import { navigate } from '../hooks/use-route.ts';
import {
  chatbotToValues,
  defaultChatbotValues,
  valuesToCreate,
  valuesToUpdate,
} from '../lib/chatbot-form.ts';
import { href } from '../lib/route.ts';
import {
  type ChatbotField,
  type ChatbotFormValues,
  chatbotFieldOf,
  validateChatbotForm,
} from '../lib/validation.ts';
import { ChatbotFields } from './chatbot-fields.tsx';
import { ChatbotNotFound } from './chatbot-not-found.tsx';
import { DeleteChatbotDialog } from './delete-chatbot-dialog.tsx';
import '../styles/save-bar.css';
import './chatbot-form-page.css';

interface Loaded {
  catalog: ModelCatalog;
  chatbot?: Chatbot;
}

/** Create a chatbot (no id) or edit every setting of one. */
export function ChatbotFormPage({ chatbotId }: { chatbotId?: string }) {
  const resource = useResource<Loaded>(
    async (signal) => {
      const [catalog, chatbot] = await Promise.all([
        listModels(signal),
        chatbotId ? getChatbot(chatbotId, signal) : undefined,
      ]);
      return { catalog, chatbot };
    },
    [chatbotId],
  );
  const title = chatbotId ? (resource.data?.chatbot?.name ?? 'Chatbot') : 'New chatbot';
  const back = { href: '#/chatbots', label: 'All chatbots' };

  if (resource.error) {
    if (resource.error instanceof ApiError && resource.error.status === 404) {
      return <ChatbotNotFound title="Chatbot not found" />;
    }
    return (
      <>
        <PageHeader title={title} back={back} />
        <ErrorState error={resource.error} onRetry={resource.reload} />
      </>
    );
  }
  if (resource.isLoading || !resource.data) {
    return (
      <>
        <PageHeader title={chatbotId ? <Skeleton width={220} height={26} /> : title} back={back} />
        <div className="form-layout">
          <Card>
            <div className="stack">
              <Skeleton width="30%" />
              <Skeleton height={38} />
              <Skeleton width="30%" />
              <Skeleton height={140} />
            </div>
          </Card>
          <Card>
            <div className="stack">
              <Skeleton width="50%" />
              <Skeleton height={38} />
              <Skeleton height={38} />
            </div>
          </Card>
        </div>
      </>
    );
  }
  return <ChatbotForm key={resource.data.chatbot?.updatedAt ?? 'new'} {...resource.data} back={back} />;
}

function ChatbotForm({ catalog, chatbot, back }: Loaded & { back: { href: string; label: string } }) {
  const toast = useToast();
  const initial = useMemo(
    () => (chatbot ? chatbotToValues(chatbot) : defaultChatbotValues(catalog.default)),
    [chatbot, catalog.default],
  );
  const [values, setValues] = useState<ChatbotFormValues>(initial);
  const [saved, setSaved] = useState<ChatbotFormValues>(initial);
  const [isDeleting, setIsDeleting] = useState(false);
  const [current, setCurrent] = useState(chatbot);

  const isDirty = JSON.stringify(values) !== JSON.stringify(saved);
  useEffect(() => {
    if (!isDirty) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [isDirty]);

  const form = useFormSubmit<ChatbotField, Chatbot>({
    validate: () => validateChatbotForm(values),
    submit: () =>
      current
        ? updateChatbot(current.id, valuesToUpdate(saved, values))
        : createChatbot(valuesToCreate(values)),
    onSuccess: (chatbot) => {
      if (current) {
        setCurrent(chatbot);
        const next = chatbotToValues(chatbot);
        setValues(next);
        setSaved(next);
        toast.success('Changes saved', `${chatbot.name} uses them from its next message.`);
      } else {
        setSaved(values);
        toast.success('Chatbot created', 'Try it in the playground or copy the code to call it.');
        navigate(`/chatbots/${chatbot.id}`, { replace: true });
      }
    },
    fieldOf: chatbotFieldOf,
    invalidMessage: 'Some settings need attention.',
    failureTitle: 'Could not save the chatbot',
  });
  const { errors, setErrors, formError, setFormError, isPending: isSaving } = form;

  const change = <Field extends ChatbotField>(field: Field, value: ChatbotFormValues[Field]) => {
    setValues((previous) => ({ ...previous, [field]: value }));
    setErrors((previous) => ({ ...previous, [field]: undefined }));
  };

  return (
    <form className="page-form" onSubmit={form.handleSubmit} noValidate>
      <PageHeader
        back={back}
        title={current ? current.name : 'New chatbot'}
        description={
          current ? (
            <span className="mono">{current.id}</span>
          ) : (
            'Set how it answers, which model it uses and how often it may be called.'
          )
        }
        actions={
          current ? (
            <>
              <LinkButton href={href(`/chatbots/${current.id}/knowledge`)} icon="book">
                Knowledge
              </LinkButton>
              <LinkButton href={href(`/chatbots/${current.id}/deploy`)} icon="globe">
                Deploy
              </LinkButton>
              <LinkButton href={href('/getting-started', { chatbot: current.id })} icon="code">
                Get code
              </LinkButton>
              <LinkButton href={href('/playground', { chatbot: current.id })} icon="message">
                Open playground
              </LinkButton>
            </>
          ) : undefined
        }
      />
      {formError ? <Callout tone="danger">{formError}</Callout> : null}
      <ChatbotFields values={values} errors={errors} catalog={catalog} onChange={change} />
      {current ? (
        <Card title="Danger zone" className="card--danger">
          <div className="danger-row">
            <div>
              <strong>Delete this chatbot</strong>
              <p className="muted">Its conversations are deleted with it. This cannot be undone.</p>
            </div>
            <Button variant="danger" icon="trash" onClick={() => setIsDeleting(true)}>
              Delete chatbot
            </Button>
          </div>
        </Card>
      ) : null}
      <div className={`save-bar${isDirty || !current ? ' save-bar--visible' : ''}`}>
        <span className="save-bar__text">
          {current ? 'You have unsaved changes.' : 'Ready when you are.'}
        </span>
        <div className="save-bar__actions">
          {current ? (
            <Button
              onClick={() => {
                setValues(saved);
                setErrors(() => ({}));
                setFormError(undefined);
              }}
              disabled={!isDirty || isSaving}
            >
              Discard
            </Button>
          ) : (
            <LinkButton href="#/chatbots">Cancel</LinkButton>
          )}
          <Button
            type="submit"
            variant="primary"
            isLoading={isSaving}
            disabled={Boolean(current) && !isDirty}
          >
            {current ? 'Save changes' : 'Create chatbot'}
          </Button>
        </div>
      </div>
      {isDeleting && current ? (
        <DeleteChatbotDialog
          chatbot={current}
          onDeleted={() => {
            setSaved(values);
            navigate('/chatbots');
          }}
          onClose={() => setIsDeleting(false)}
        />
      ) : null}
    </form>
  );
}
