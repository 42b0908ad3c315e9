import type { Chatbot, Usage } from '../api/types.ts';
import { Badge } from '../components/feedback.tsx';
import { Field } from '../components/form.tsx';
import { formatCredits, formatNumber, formatRateLimit } from '../lib/format.ts';
import { href } from '../lib/route.ts';
import { useSession } from '../session.tsx';
import '../styles/panels.css';

/** The playground's side panel: which chatbot, which conversation, what the last reply cost. */
export function PlaygroundSidebar({
  chatbots,
  chatbot,
  conversationId,
  lastUsage,
  metadataText,
  metadataError,
  onMetadataChange,
  onSelect,
}: {
  chatbots: Chatbot[];
  chatbot: Chatbot;
  conversationId?: string;
  lastUsage?: Usage;
  metadataText: string;
  metadataError?: string;
  onMetadataChange: (text: string) => void;
  onSelect: (chatbotId: string) => void;
}) {
  const { session } = useSession();
  return (
    <aside className="card playground__side" aria-label="Playground settings">
      <div className="card__body stack stack--lg">
        <Field label="Chatbot">
          {(props) => (
            <select
              {...props}
              className="input select"
              value={chatbot.id}
              onChange={(event) => onSelect(event.target.value)}
            >
              {chatbots.map((item) => (
                <option key={item.id} value={item.id}>
                  {item.name}
                  {item.status === 'inactive' ? ' (inactive)' : ''}
                </option>
              ))}
            </select>
          )}
        </Field>
        <dl className="facts">
          <div>
            <dt>Model</dt>
            <dd>
              <span className="chip mono">{chatbot.model}</span>
            </dd>
          </div>
          <div>
            <dt>Status</dt>
            <dd>
              <Badge tone={chatbot.status === 'active' ? 'success' : 'neutral'} dot>
                {chatbot.status === 'active' ? 'Active' : 'Inactive'}
              </Badge>
            </dd>
          </div>
          <div>
            <dt>Rate limit</dt>
            <dd>{formatRateLimit(chatbot.rateLimit)}</dd>
          </div>
          <div>
            <dt>Temperature</dt>
            <dd>{chatbot.temperature}</dd>
          </div>
        </dl>
        <a className="text-link" href={href(`/chatbots/${chatbot.id}`)}>
          Edit settings →
        </a>
        <div className="side-section">
          <h3 className="side-section__title">Conversation</h3>
          {conversationId ? (
            <>
              <p className="mono small break">{conversationId}</p>
              <a className="text-link" href={href(`/conversations/${chatbot.id}/${conversationId}`)}>
                View transcript →
              </a>
            </>
          ) : (
            <p className="muted small">A new conversation starts with your first message.</p>
          )}
        </div>
        <div className="side-section">
          <h3 className="side-section__title">Last reply</h3>
          {lastUsage ? (
            <dl className="facts facts--compact">
              <div>
                <dt>Input tokens</dt>
                <dd>{formatNumber(lastUsage.inputTokens)}</dd>
              </div>
              <div>
                <dt>Output tokens</dt>
                <dd>{formatNumber(lastUsage.outputTokens)}</dd>
              </div>
              <div>
                <dt>Cost</dt>
                <dd>{formatCredits(lastUsage.credits)}</dd>
              </div>
              <div>
                <dt>Balance</dt>
                <dd>{formatCredits(session.workspace.credits)}</dd>
              </div>
            </dl>
          ) : (
            <p className="muted small">Token usage and credits of each reply appear here.</p>
          )}
        </div>
        <details className="side-section disclosure" open={metadataError ? true : undefined}>
          <summary className="side-section__title">Metadata (JSON)</summary>
          <Field
            label="Sent with each message"
            error={metadataError}
            hint="Stored on the message and the reply; filter the inbox by its userId."
          >
            {(props) => (
              <textarea
                {...props}
                className="input textarea mono small"
                rows={4}
                value={metadataText}
                onChange={(event) => onMetadataChange(event.target.value)}
              />
            )}
          </Field>
        </details>
      </div>
    </aside>
  );
}
