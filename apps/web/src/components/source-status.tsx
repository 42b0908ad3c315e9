import type { KnowledgeSource } from '../api/types.ts';
import { describeSourceStatus } from '../lib/knowledge-sources.ts';
import { Badge } from './feedback.tsx';
import './source-status.css';

/** A knowledge source's status badge, with its chunk count, or why it failed in plain view. */
export function SourceStatus({ source }: { source: KnowledgeSource }) {
  const status = describeSourceStatus(source);
  return (
    <div className="source-status">
      <Badge tone={status.tone} spinner={status.isPending} dot={!status.isPending}>
        {status.label}
      </Badge>
      {source.status === 'failed' ? (
        <p className="source-status__error">{status.detail}</p>
      ) : (
        <span className="muted small">{status.detail}</span>
      )}
    </div>
  );
}
