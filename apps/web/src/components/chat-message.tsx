import { useEffect, useState } from 'react';
import type { ReplySource, Usage } from '../api/types.ts';
import type { ChatErrorExplanation } from '../lib/chat-errors.ts';
import { formatCredits, formatDuration, formatNumber } from '../lib/format.ts';
import { CodeBlock } from './copy.tsx';
import { Badge } from './feedback.tsx';
import { Icon } from './icons.tsx';
import { Markdown } from './markdown.tsx';
import './chat-message.css';

export interface PlaygroundMessage {
  key: string;
  role: 'user' | 'assistant';
  content: string;
  status: 'streaming' | 'complete' | 'incomplete' | 'failed';
  usage?: Usage | null;
  /** The knowledge passages the reply drew on (chatbots with knowledge only). */
  sources?: ReplySource[];
  error?: ChatErrorExplanation & { code: string; at: number };
}

/** "12 in · 30 out · 1 credit" */
export function UsageLine({ usage }: { usage: Usage }) {
  return (
    <span
      className="usage-line"
      title="Tokens as the provider reported them, and the credits this reply cost"
    >
      <span>{formatNumber(usage.inputTokens)} in</span>
      <span aria-hidden="true">·</span>
      <span>{formatNumber(usage.outputTokens)} out</span>
      <span aria-hidden="true">·</span>
      <span>{formatCredits(usage.credits)}</span>
    </span>
  );
}

/** Seconds left until `until` (a Date.now() value), ticking every second; 0 once passed. */
export function useCountdown(until: number | undefined): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!until || until <= Date.now()) return;
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, [until]);
  return until ? Math.max(0, Math.ceil((until - now) / 1000)) : 0;
}

/** What an operator runs to add credits to a workspace. */
export function addCreditsCommand(origin: string, workspaceId: string): string {
  return [
    `curl -s -X POST ${origin}/api/admin/workspaces/${workspaceId}/credits \\`,
    '  -H "Authorization: Bearer $POLLYBOT_ADMIN_TOKEN" \\',
    '  -H "Content-Type: application/json" \\',
    `  -d '{"amount": 1000}'`,
  ].join('\n');
}

/** The knowledge a reply drew on, best first: each source's title (a link for a web page) and the passage's start. */
function Citations({ sources }: { sources: ReplySource[] }) {
  return (
    <ol className="citations" aria-label="Sources">
      {sources.map((source, index) => (
        <li key={`${source.id}:${source.url ?? ''}`} className="citation" title={source.snippet}>
          <span className="citation__number" aria-hidden="true">
            {index + 1}
          </span>
          <span className="citation__body">
            {source.url ? (
              <a className="citation__title" href={source.url} target="_blank" rel="noreferrer">
                {source.title}
                <Icon name="external" size={11} />
              </a>
            ) : (
              <span className="citation__title">{source.title}</span>
            )}
            <span className="citation__snippet">{source.snippet}</span>
          </span>
        </li>
      ))}
    </ol>
  );
}

function ErrorCard({
  error,
  workspaceId,
  chatbotId,
}: {
  error: NonNullable<PlaygroundMessage['error']>;
  workspaceId: string;
  chatbotId: string;
}) {
  const secondsLeft = useCountdown(
    error.retryAfter !== undefined ? error.at + error.retryAfter * 1000 : undefined,
  );
  return (
    <div className={`chat-error chat-error--${error.kind}`} role="alert">
      <div className="chat-error__head">
        <Icon name="alert" size={16} />
        <strong>{error.title}</strong>
        <code>{error.code}</code>
      </div>
      <p>{error.description}</p>
      {error.kind === 'rate-limit' && error.retryAfter !== undefined ? (
        <p className="chat-error__countdown">
          {secondsLeft > 0
            ? `You can send again in ${formatDuration(secondsLeft)}.`
            : 'You can send again now.'}
        </p>
      ) : null}
      {error.kind === 'credits' ? (
        <details className="chat-error__details">
          <summary>How to add credits</summary>
          <p>
            The server's operator sets <code>POLLYBOT_ADMIN_TOKEN</code> and adds credits to this workspace
            with the operator API:
          </p>
          <CodeBlock code={addCreditsCommand(window.location.origin, workspaceId)} label="Operator API" />
        </details>
      ) : null}
      {error.kind === 'inactive' ? (
        <p>
          <a href={`#/chatbots/${encodeURIComponent(chatbotId)}`}>Open the chatbot settings</a> and set its
          status to Active.
        </p>
      ) : null}
    </div>
  );
}

/** What the server recorded for a reply stopped before any text: what it charged, when it is known. */
function stoppedNote(usage: Usage | null | undefined): string {
  if (!usage) return 'Stopped before any text arrived.';
  if (usage.credits === 0) return 'Stopped before any text arrived; nothing was charged.';
  return `Stopped before any text arrived; ${formatCredits(usage.credits)} charged.`;
}

/** One bubble of the playground transcript. */
export function ChatBubble({
  message,
  workspaceId,
  chatbotId,
}: {
  message: PlaygroundMessage;
  workspaceId: string;
  chatbotId: string;
}) {
  const isUser = message.role === 'user';
  return (
    <div className={`bubble-row bubble-row--${message.role}`}>
      <div className={`bubble-avatar bubble-avatar--${message.role}`} aria-hidden="true">
        <Icon name={isUser ? 'user' : 'bot'} size={16} />
      </div>
      <div className="bubble-column">
        {message.content || message.status === 'streaming' ? (
          <div className={`bubble bubble--${message.role}`}>
            {isUser || !message.content ? message.content : <Markdown text={message.content} />}
            {message.status === 'streaming' ? (
              <>
                <span className={`caret${message.content ? '' : ' caret--thinking'}`} aria-hidden="true" />
                <span className="visually-hidden">Writing…</span>
              </>
            ) : null}
          </div>
        ) : null}
        {message.status === 'incomplete' && !message.content ? (
          <div className="bubble bubble--assistant bubble--note">{stoppedNote(message.usage)}</div>
        ) : null}
        {message.sources && message.sources.length > 0 ? <Citations sources={message.sources} /> : null}
        {message.error ? (
          <ErrorCard error={message.error} workspaceId={workspaceId} chatbotId={chatbotId} />
        ) : null}
        {!isUser && (message.usage || message.status === 'incomplete') ? (
          <div className="bubble-meta">
            {message.status === 'incomplete' ? <Badge tone="warning">Stopped</Badge> : null}
            {message.usage ? <UsageLine usage={message.usage} /> : null}
          </div>
        ) : null}
      </div>
    </div>
  );
}
