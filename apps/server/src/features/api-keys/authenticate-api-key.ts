import type { Kysely } from 'kysely';
import { findActiveApiKeyByHash, touchApiKey } from '../../db/api-keys.repository.ts';
import type { Database } from '../../db/database.ts';
import type { Clock } from '../../lib/clock.ts';
import type { TtlCache } from '../cache/ttl-cache.ts';
import { hashApiKey, isWellFormedApiKey, readBearerToken } from './api-key-secret.ts';

export type ApiKeyPrincipal = { apiKeyId: string; workspaceId: string };

// last_used_at is a hint for people, not an audit log: writing it at most once a minute keeps it off the hot path.
const LAST_USED_RESOLUTION_MS = 60_000;

/** Answers the key's workspace, or undefined for a missing, malformed, unknown or revoked key. */
export async function authenticateApiKey(
  deps: {
    db: Kysely<Database>;
    clock: Clock;
    cache: TtlCache<ApiKeyPrincipal & { lastUsedAt: number }>;
  },
  authorization: string | undefined,
): Promise<ApiKeyPrincipal | undefined> {
  const key = readBearerToken(authorization);
  if (!key || !isWellFormedApiKey(key)) return undefined;
  const hash = hashApiKey(key);
  const now = deps.clock.now().getTime();

  let entry = deps.cache.get(hash);
  if (!entry) {
    const readSince = deps.cache.generation();
    const row = await findActiveApiKeyByHash(deps.db, hash);
    if (!row) return undefined;
    entry = {
      apiKeyId: row.id,
      workspaceId: row.workspace_id,
      lastUsedAt: row.last_used_at ? Date.parse(row.last_used_at) : 0,
    };
    deps.cache.set(hash, entry, readSince);
  }
  if (now - entry.lastUsedAt >= LAST_USED_RESOLUTION_MS) {
    entry.lastUsedAt = now;
    await touchApiKey(deps.db, entry.apiKeyId, new Date(now).toISOString());
  }
  return { apiKeyId: entry.apiKeyId, workspaceId: entry.workspaceId };
}
