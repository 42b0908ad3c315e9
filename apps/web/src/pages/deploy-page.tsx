import { getChatbot } from '../api/chatbots.ts';
import { ApiError } from '../api/client.ts';
import type { PublishableKey } from '../api/types.ts';
import { getWidgetConfig, listPublishableKeys } from '../api/widget.ts';
import { LinkButton } from '../components/button.tsx';
import { ErrorState, Skeleton } from '../components/feedback.tsx';
import { Card, PageHeader } from '../components/layout.tsx';
import { usePagedList, useResource } from '../hooks/use-resource.ts';
import { href } from '../lib/route.ts';
import { ChatbotNotFound } from './chatbot-not-found.tsx';
import { DeployIdentity } from './deploy-identity.tsx';
import { DeployKeys } from './deploy-keys.tsx';
import { WidgetSettingsForm } from './widget-settings-form.tsx';
import './deploy-page.css';

/**
 * A chatbot on a website: the script tag to paste, the publishable keys that bind it to sites, the widget's
 * look and limits with a live preview, and the secret that lets a site vouch for who its visitors are.
 */
export function DeployPage({ chatbotId }: { chatbotId: string }) {
  const chatbot = useResource((signal) => getChatbot(chatbotId, signal), [chatbotId]);
  const keys = usePagedList<PublishableKey>(
    (cursor, signal) => listPublishableKeys(chatbotId, cursor, signal),
    [chatbotId],
  );
  const config = useResource((signal) => getWidgetConfig(chatbotId, signal), [chatbotId]);

  const notFound = [chatbot.error, keys.error, config.error].some(
    (error) => error instanceof ApiError && error.code === 'CHATBOT_NOT_FOUND',
  );
  if (notFound) return <ChatbotNotFound title="Deploy" />;

  const name = chatbot.data?.name;
  return (
    <>
      <PageHeader
        back={{ href: href(`/chatbots/${chatbotId}`), label: name ? `${name} settings` : 'Chatbot settings' }}
        title="Deploy"
        description={
          <>
            Put {name ?? 'this chatbot'} on your website: one script tag shows a chat bubble that opens a chat
            panel for your visitors.
          </>
        }
        actions={
          <>
            <LinkButton href={href(`/chatbots/${chatbotId}/knowledge`)} icon="book">
              Knowledge
            </LinkButton>
            <LinkButton href={href('/playground', { chatbot: chatbotId })} icon="message">
              Open playground
            </LinkButton>
          </>
        }
      />
      <div className="deploy">
        <DeployKeys chatbotId={chatbotId} keys={keys} />
        <HowItWorks />
        {config.error ? <ErrorState error={config.error} onRetry={config.reload} /> : null}
        {config.isLoading && !config.data ? (
          <Card>
            <div className="stack">
              <Skeleton width="30%" />
              <Skeleton height={38} />
              <Skeleton height={120} />
            </div>
          </Card>
        ) : null}
        {config.data ? (
          <>
            <WidgetSettingsForm
              key={chatbotId}
              chatbotId={chatbotId}
              config={config.data}
              onSaved={(saved) => config.setData(() => saved)}
            />
            <DeployIdentity
              chatbotId={chatbotId}
              config={config.data}
              onRotated={() =>
                config.setData((current) => (current ? { ...current, hasIdentitySecret: true } : current))
              }
            />
          </>
        ) : null}
      </div>
    </>
  );
}

/** What a publishable key does and does not protect, said plainly. */
function HowItWorks() {
  return (
    <Card title="How it works">
      <ul className="deploy__facts">
        <li>
          <strong>Refused unless listed.</strong> The widget answers only on the sites a key lists; a key with
          no site refuses every page.
        </li>
        <li>
          <strong>The key is public.</strong> It is in your page’s HTML for anyone to read. It can only start
          visitor conversations with this chatbot; it never reads your workspace or other visitors’
          conversations.
        </li>
        <li>
          <strong>The site list is friction, not authentication.</strong> It stops other sites from embedding
          your widget in a browser, but a script outside a browser can claim any origin. Limits per visitor,
          per IP and per day cap what anyone can spend.
        </li>
        <li>
          <strong>To know who a visitor is, verify their identity.</strong> Your server signs a short-lived
          token with the identity secret below; PollyBot checks it and shows the verified user in the inbox.
        </li>
      </ul>
    </Card>
  );
}
