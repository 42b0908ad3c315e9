import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import { countPendingKnowledgeSources, sumKnowledgeBytes } from '../../db/knowledge.repository.ts';
import { AppError } from '../../errors/app-error.ts';
import type { Clock } from '../../lib/clock.ts';
import type { RateLimiter } from '../rate-limits/rate-limiter.ts';
import { formatMegabytes } from './extract/source-limits.ts';

/** Per workspace: what its knowledge may hold and how fast it may change (see docs/knowledge-api.md). */
export type KnowledgeQuotas = {
  maxQueuedSources: number;
  maxWorkspaceBytes: number;
  writesPerMinute: number;
};

export type KnowledgeWriteDeps = {
  clock: Clock;
  limiter: RateLimiter;
  config: { knowledge: Pick<KnowledgeQuotas, 'writesPerMinute'> };
};

/** Without a configuration (a benchmark, a test of something else), sources are not counted. */
export type KnowledgeQuotaDeps = {
  db: Kysely<Database>;
  config?: { knowledge: Pick<KnowledgeQuotas, 'maxQueuedSources' | 'maxWorkspaceBytes'> };
};

/** The outcome of counting one knowledge change against the workspace's rate: a value, never an exception. */
export type KnowledgeWriteDecision = {
  allowed: boolean;
  limit: number;
  remaining: number;
  resetAt: Date;
  /** Seconds until the window resets (at least 1). */
  retryAfter: number;
};

/**
 * Counts a knowledge change (create, upload, re-sync, delete) against the workspace's per-minute rate, in
 * the shared limiter (Redis when configured). SERVICE_UNAVAILABLE when that store cannot be reached.
 */
export async function consumeKnowledgeWrite(
  deps: KnowledgeWriteDeps,
  workspaceId: string,
): Promise<KnowledgeWriteDecision> {
  const decision = await deps.limiter
    .consume(`knowledge-writes:${workspaceId}`, {
      requests: deps.config.knowledge.writesPerMinute,
      windowSeconds: 60,
    })
    .catch((error: unknown) => {
      throw new AppError('SERVICE_UNAVAILABLE', {
        message: 'Rate limiting is unavailable right now (its shared store cannot be reached); retry shortly',
        cause: error,
      });
    });
  const retryAfter = Math.max(1, Math.ceil((decision.resetAt.getTime() - deps.clock.now().getTime()) / 1000));
  return { ...decision, retryAfter };
}

/**
 * KNOWLEDGE_QUOTA_EXCEEDED when the workspace already has its most sources waiting for ingestion, or when
 * `addingBytes` more would pass its storage limit. `exceptId`: a source counted anew (a re-sync).
 */
export async function checkKnowledgeQuotas(
  deps: KnowledgeQuotaDeps,
  workspaceId: string,
  change: { addingBytes: number; exceptId?: string },
): Promise<void> {
  if (!deps.config) return;
  const { maxQueuedSources, maxWorkspaceBytes } = deps.config.knowledge;
  const pending = await countPendingKnowledgeSources(deps.db, workspaceId, change.exceptId);
  if (pending >= maxQueuedSources) {
    throw new AppError('KNOWLEDGE_QUOTA_EXCEEDED', {
      message: `The workspace already has ${pending} knowledge sources waiting to be processed, its limit; retry when some are done`,
      extra: { quota: 'queued_sources', limit: maxQueuedSources },
    });
  }
  if (change.addingBytes > 0) {
    const stored = await sumKnowledgeBytes(deps.db, workspaceId, change.exceptId);
    if (stored + change.addingBytes > maxWorkspaceBytes) {
      throw new AppError('KNOWLEDGE_QUOTA_EXCEEDED', {
        message: `The workspace's knowledge would pass its storage limit of ${formatMegabytes(maxWorkspaceBytes)}; delete sources to make room`,
        extra: { quota: 'storage_bytes', limit: maxWorkspaceBytes },
      });
    }
  }
}
