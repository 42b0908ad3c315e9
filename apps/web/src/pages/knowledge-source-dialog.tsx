import { useEffect, useRef } from 'react';
import { getKnowledgeSource } from '../api/knowledge.ts';
import type { KnowledgeSource } from '../api/types.ts';
import { Button } from '../components/button.tsx';
import { Dialog } from '../components/dialog.tsx';
import { Callout, ErrorState, Skeleton } from '../components/feedback.tsx';
import { SourceStatus } from '../components/source-status.tsx';
import { useResource } from '../hooks/use-resource.ts';
import { formatBytes, formatDateTime, formatNumber } from '../lib/format.ts';
import { describeSourceKind } from '../lib/knowledge-sources.ts';
import '../styles/panels.css';
import './knowledge-source-dialog.css';

/** One source as it was given: its text, its pairs, its address or its file, with its status. */
export function KnowledgeSourceDialog({
  chatbotId,
  source,
  onLoaded,
  onClose,
}: {
  chatbotId: string;
  source: KnowledgeSource;
  /** The source as read now, for the list to show the same. */
  onLoaded: (source: KnowledgeSource) => void;
  onClose: () => void;
}) {
  // The list row may be a few seconds old, and a list need not carry a source's whole text: read it.
  const loaded = useResource(
    (signal) => getKnowledgeSource(chatbotId, source.id, signal),
    [chatbotId, source.id],
  );
  const current = loaded.data ?? source;
  const onLoadedRef = useRef(onLoaded);
  onLoadedRef.current = onLoaded;
  useEffect(() => {
    if (loaded.data) onLoadedRef.current(loaded.data);
  }, [loaded.data]);

  return (
    <Dialog
      title={current.title}
      description={`${describeSourceKind(current)} · added ${formatDateTime(current.createdAt)}`}
      size="lg"
      onClose={onClose}
      footer={<Button onClick={onClose}>Close</Button>}
    >
      <div className="stack stack--lg">
        <dl className="facts facts--compact">
          <div>
            <dt>Status</dt>
            <dd>
              <SourceStatus source={current} />
            </dd>
          </div>
          <div>
            <dt>Chunks</dt>
            <dd>{formatNumber(current.chunkCount)}</dd>
          </div>
          <div>
            <dt>Last updated</dt>
            <dd>{formatDateTime(current.updatedAt)}</dd>
          </div>
        </dl>
        {loaded.error ? <ErrorState error={loaded.error} onRetry={loaded.reload} /> : null}
        {loaded.isLoading && !loaded.error ? <Skeleton height={120} /> : null}
        {loaded.data ? <SourceContent source={loaded.data} /> : null}
      </div>
    </Dialog>
  );
}

function SourceContent({ source }: { source: KnowledgeSource }) {
  switch (source.kind) {
    case 'text':
      return (
        <section className="stack stack--sm" aria-label="Text">
          <h3 className="side-section__title">
            Text · {formatNumber(source.content?.length ?? 0)} characters
          </h3>
          <pre className="source-preview">{source.content}</pre>
        </section>
      );
    case 'qa':
      return (
        <section className="stack stack--sm" aria-label="Questions and answers">
          <h3 className="side-section__title">
            {formatNumber(source.pairs?.length ?? 0)} questions and answers
          </h3>
          <ol className="qa-list">
            {(source.pairs ?? []).map((pair, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: pairs are shown in their stored order and never reordered
              <li key={index} className="qa-list__item">
                <p className="qa-list__question">{pair.question}</p>
                <p className="qa-list__answer">{pair.answer}</p>
              </li>
            ))}
          </ol>
        </section>
      );
    case 'url':
      return (
        <dl className="facts">
          <div>
            <dt>{source.crawl === 'sitemap' ? 'Sitemap' : 'Page'}</dt>
            <dd className="break">
              {source.url ? (
                <a href={source.url} target="_blank" rel="noreferrer">
                  {source.url}
                </a>
              ) : null}
            </dd>
          </div>
          <div>
            <dt>Imports</dt>
            <dd>{source.crawl === 'sitemap' ? 'Every page the sitemap lists' : 'This page only'}</dd>
          </div>
        </dl>
      );
    case 'file':
      return source.file ? (
        <dl className="facts">
          <div>
            <dt>File</dt>
            <dd className="break">{source.file.name}</dd>
          </div>
          <div>
            <dt>Type</dt>
            <dd className="mono">{source.file.mediaType}</dd>
          </div>
          <div>
            <dt>Size</dt>
            <dd>{formatBytes(source.file.size)}</dd>
          </div>
        </dl>
      ) : (
        <Callout>The file's details are not available.</Callout>
      );
  }
}
