import { useEffect, useRef, useState } from 'react';
import { ApiError } from '../api/client.ts';
import { getKnowledgeSource } from '../api/knowledge.ts';
import type { KnowledgeSource } from '../api/types.ts';
import { isPendingSource } from '../lib/knowledge-sources.ts';

/** How often sources still being ingested are read again. */
const SOURCE_POLL_INTERVAL_MS = 2000;

export interface SourcePollResult {
  /** The pending sources as they are now. */
  fresh: KnowledgeSource[];
  /** Sources that no longer exist (deleted in another tab, say). */
  goneIds: string[];
}

/**
 * While any of `sources` is queued or processing, reads those sources again every interval and reports
 * what they became. Stops when none is pending, and when the page is left.
 */
export function useSourcePolling(
  chatbotId: string,
  sources: KnowledgeSource[],
  onResult: (result: SourcePollResult) => void,
  intervalMs: number = SOURCE_POLL_INTERVAL_MS,
): void {
  const pendingKey = sources
    .filter(isPendingSource)
    .map((source) => source.id)
    .join(' ');
  const [round, setRound] = useState(0);
  const onResultRef = useRef(onResult);
  onResultRef.current = onResult;

  // biome-ignore lint/correctness/useExhaustiveDependencies: `round` schedules the next poll while sources stay pending
  useEffect(() => {
    if (!pendingKey) return;
    const ids = pendingKey.split(' ');
    const controller = new AbortController();
    const timer = window.setTimeout(async () => {
      const results = await Promise.allSettled(
        ids.map((id) => getKnowledgeSource(chatbotId, id, controller.signal)),
      );
      if (controller.signal.aborted) return;
      const fresh: KnowledgeSource[] = [];
      const goneIds: string[] = [];
      results.forEach((result, index) => {
        if (result.status === 'fulfilled') fresh.push(result.value);
        else if (result.reason instanceof ApiError && result.reason.status === 404)
          goneIds.push(ids[index] ?? '');
        // Any other failure (the network, say) is tried again next round.
      });
      onResultRef.current({ fresh, goneIds });
      setRound((value) => value + 1);
    }, intervalMs);
    return () => {
      window.clearTimeout(timer);
      controller.abort();
    };
  }, [chatbotId, pendingKey, intervalMs, round]);
}
