import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import { countPendingKnowledgeSources, sumKnowledgeBytes } from '../../db/knowledge.repository.ts';
import { AppError } from '../../errors/app-error.ts';
import { formatMegabytes } from './extract/source-limits.ts';

/** Per workspace: what its knowledge may hold and how fast it may change (see docs/knowledge-api.md). */
type KnowledgeQuotas = {
  maxQueuedSources: number;
  maxWorkspaceBytes: number;
  writesPerMinute: number;
};

/** Without quotas (a benchmark, a test of something else), sources are not counted. */
export type KnowledgeQuotaDeps = {
  db: Kysely<Database>;
  quotas?: Pick<KnowledgeQuotas, 'maxQueuedSources' | 'maxWorkspaceBytes'>;
};

/**
 * KNOWLEDGE_QUOTA_EXCEEDED when the workspace already has its most sources waiting for ingestion, or when
 * `addingBytes` more would pass its storage limit. `exceptId`: a source counted anew (a re-sync).
 */
export async function checkKnowledgeQuotas(
  deps: KnowledgeQuotaDeps,
  workspaceId: string,
  change: { addingBytes: number; exceptId?: string },
): Promise<void> {
  if (!deps.quotas) return;
  const { maxQueuedSources, maxWorkspaceBytes } = deps.quotas;
  const pending = await countPendingKnowledgeSources(deps.db, workspaceId, change.exceptId);
  if (pending >= maxQueuedSources) {
    throw new AppError('KNOWLEDGE_QUOTA_EXCEEDED', {
      message: `The workspace already has ${pending} knowledge sources waiting to be processed, its limit; retry when some are done`,
      extra: { quota: 'queued_sources', limit: maxQueuedSources },
    });
  }
  if (
    change.addingBytes > 0 &&
    (await wouldPassStorageLimit(
      deps.db,
      workspaceId,
      change.addingBytes,
      maxWorkspaceBytes,
      change.exceptId,
    ))
  ) {
    const reason = storageLimitReason(maxWorkspaceBytes);
    throw new AppError('KNOWLEDGE_QUOTA_EXCEEDED', {
      message: `${reason[0]?.toUpperCase()}${reason.slice(1)}`,
      extra: { quota: 'storage_bytes', limit: maxWorkspaceBytes },
    });
  }
}

/**
 * Whether `addingBytes` more would take the workspace's knowledge past `maxBytes`; `exceptId`: a source
 * counted anew, whose stored bytes are left out.
 */
export async function wouldPassStorageLimit(
  db: Kysely<Database>,
  workspaceId: string,
  addingBytes: number,
  maxBytes: number,
  exceptId?: string,
): Promise<boolean> {
  return (await sumKnowledgeBytes(db, workspaceId, exceptId)) + addingBytes > maxBytes;
}

/** Why a change is refused at the storage limit, as its owner reads it. */
export function storageLimitReason(maxBytes: number): string {
  return `the workspace's knowledge would pass its storage limit of ${formatMegabytes(maxBytes)}; delete sources to make room`;
}
