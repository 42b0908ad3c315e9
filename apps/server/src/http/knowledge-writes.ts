import type { FastifyReply } from 'fastify';
import type { Services } from '../services.ts';
import { enforceRateLimit } from './enforce-rate-limit.ts';

/** Errors every knowledge change (create, upload, re-sync, delete) may answer, besides its own. */
export const KNOWLEDGE_WRITE_ERRORS = ['RATE_LIMIT_EXCEEDED', 'KNOWLEDGE_QUOTA_EXCEEDED'] as const;

/**
 * Counts a knowledge change against the workspace's per-minute rate (POLLYBOT_KNOWLEDGE_WRITES_PER_MINUTE):
 * X-RateLimit-* headers, and past the rate 429 RATE_LIMIT_EXCEEDED with Retry-After.
 */
export async function limitKnowledgeWrites(
  services: Services,
  workspaceId: string,
  reply: FastifyReply,
): Promise<void> {
  await enforceRateLimit(
    services,
    reply,
    `knowledge-writes:${workspaceId}`,
    { requests: services.config.knowledge.writesPerMinute, windowSeconds: 60 },
    ({ limit, retryAfter }) =>
      `Too many knowledge changes for this workspace (${limit} a minute); retry after ${retryAfter} s`,
  );
}
