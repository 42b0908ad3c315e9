import { type ReactNode, useState } from 'react';
import { listAllChatbots } from '../api/chatbots.ts';
import { LinkButton } from '../components/button.tsx';
import { CodeBlock } from '../components/copy.tsx';
import { EmptyState, ErrorState, Skeleton } from '../components/feedback.tsx';
import { Icon } from '../components/icons.tsx';
import { Card, PageHeader } from '../components/layout.tsx';
import { useResource } from '../hooks/use-resource.ts';
import { navigate } from '../hooks/use-route.ts';
import { href } from '../lib/route.ts';
import {
  API_KEY_PLACEHOLDER,
  buildOpenAiSnippets,
  buildSnippets,
  chatUrl,
  openAiBaseUrl,
  type SnippetLanguage,
} from '../lib/snippets.ts';
import { NewChatbotLink } from './new-chatbot-link.tsx';
import '../styles/tabs.css';
import './getting-started-page.css';

/** Ready-to-paste code that calls a chatbot: curl, JavaScript and Python, streaming or not, and the OpenAI SDKs. */
export function GettingStartedPage({ chatbotId }: { chatbotId?: string }) {
  const chatbots = useResource((signal) => listAllChatbots(signal), []);
  const [language, setLanguage] = useState<SnippetLanguage>('curl');
  const list = chatbots.data ?? [];
  const chatbot = list.find((item) => item.id === chatbotId) ?? list[0];
  const origin = window.location.origin;
  const snippets = chatbot
    ? [
        ...buildSnippets({ origin, chatbotId: chatbot.id }),
        ...buildOpenAiSnippets({ origin, chatbotId: chatbot.id }),
      ]
    : [];
  const snippet = snippets.find((item) => item.language === language) ?? snippets[0];

  return (
    <>
      <PageHeader
        title="Getting started"
        description="Call a chatbot from your own software in three steps."
        actions={
          <LinkButton href="/docs" icon="book" external>
            API reference
          </LinkButton>
        }
      />
      {chatbots.error ? <ErrorState error={chatbots.error} onRetry={chatbots.reload} /> : null}
      <ol className="steps">
        <Step
          number={1}
          title="Create an API key"
          description="Keys belong to the workspace and can call every chatbot in it."
        >
          <p className="muted">
            Create a key on the API keys page and copy it: it is shown once. In the code below, replace{' '}
            <code>{API_KEY_PLACEHOLDER}</code> with it.
          </p>
          <LinkButton href="#/api-keys" icon="key">
            Go to API keys
          </LinkButton>
        </Step>
        <Step
          number={2}
          title="Send a message"
          description="Each call returns the reply, the conversation id and the usage. Add stream: true for Server-Sent Events."
        >
          {chatbots.isLoading ? <Skeleton height={180} /> : null}
          {!chatbots.isLoading && !chatbot ? (
            <EmptyState icon="bot" title="Create a chatbot first" action={<NewChatbotLink />}>
              The snippets are written for one of your chatbots.
            </EmptyState>
          ) : null}
          {chatbot && snippet ? (
            <div className="stack">
              <div className="snippet-toolbar">
                <label className="inline-field">
                  <span>Chatbot</span>
                  <select
                    className="input select"
                    value={chatbot.id}
                    onChange={(event) =>
                      navigate(href('/getting-started', { chatbot: event.target.value }), { replace: true })
                    }
                  >
                    {list.map((item) => (
                      <option key={item.id} value={item.id}>
                        {item.name}
                      </option>
                    ))}
                  </select>
                </label>
                <span className="mono small muted break">
                  {snippet.language.startsWith('openai-')
                    ? `Base URL ${openAiBaseUrl(origin)}, model ${chatbot.id}`
                    : `POST ${chatUrl(origin, chatbot.id)}`}
                </span>
              </div>
              <div className="tabs" role="tablist" aria-label="Language">
                {snippets.map((item) => (
                  <button
                    key={item.language}
                    type="button"
                    role="tab"
                    aria-selected={item.language === snippet.language}
                    className={`tabs__tab${item.language === snippet.language ? ' tabs__tab--active' : ''}`}
                    onClick={() => setLanguage(item.language)}
                  >
                    {item.label}
                  </button>
                ))}
              </div>
              <div role="tabpanel">
                <CodeBlock code={snippet.code} label={snippet.label} />
              </div>
            </div>
          ) : null}
        </Step>
        <Step
          number={3}
          title="Continue the conversation"
          description="Send the conversationId back to keep the context."
        >
          <ul className="checklist">
            <li>
              <Icon name="check" size={16} /> Pass <code>conversationId</code> from a reply to continue; leave
              it out to start a new conversation.
            </li>
            <li>
              <Icon name="check" size={16} /> Attach <code>metadata</code> such as{' '}
              <code>{'{"userId": "u_123"}'}</code> to find a user's conversations in the inbox.
            </li>
            <li>
              <Icon name="check" size={16} /> Handle <code>429</code> (wait <code>retryAfter</code> seconds),{' '}
              <code>402</code> (out of credits) and <code>502</code>/<code>504</code> (provider trouble, not
              charged).
            </li>
          </ul>
          <div className="button-row">
            {chatbot ? (
              <LinkButton href={href('/playground', { chatbot: chatbot.id })} icon="message">
                Try it in the playground
              </LinkButton>
            ) : null}
            <LinkButton href="/docs" icon="external" external>
              Full API reference
            </LinkButton>
          </div>
        </Step>
      </ol>
    </>
  );
}

/** One numbered step of the guide: its number beside a card with what to do. */
function Step({
  number,
  title,
  description,
  children,
}: {
  number: number;
  title: string;
  description: string;
  children: ReactNode;
}) {
  return (
    <li className="step">
      <span className="step__number">{number}</span>
      <Card title={title} description={description}>
        {children}
      </Card>
    </li>
  );
}
