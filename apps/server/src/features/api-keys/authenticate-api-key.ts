import type { Kysely } from 'kysely';
import { findActiveApiKeyByHash, touchApiKey } from '../../db/api-keys.repository.ts';
import type { Database } from '../../db/database.ts';
import type { Clock } from '../../lib/clock.ts';
import { hashApiKey, isWellFormedApiKey, readBearerToken } from './api-key-secret.ts';

export type ApiKeyPrincipal = { apiKeyId: string; workspaceId: string };

// last_used_at is a hint for people, not an audit log: writing it at most once a minute keeps it off the hot path.
const LAST_USED_RESOLUTION_MS = 60_000;

/** Answers the key's workspace, or undefined for a missing, malformed, unknown or revoked key. */
export async function authenticateApiKey(
  deps: { db: Kysely<Database>; clock: Clock },
  authorization: string | undefined,
): Promise<ApiKeyPrincipal | undefined> {
  const key = readBearerToken(authorization);
  if (!key || !isWellFormedApiKey(key)) return undefined;
  const row = await findActiveApiKeyByHash(deps.db, hashApiKey(key));
  if (!row) return undefined;
  const now = deps.clock.now();
  if (!row.last_used_at || now.getTime() - Date.parse(row.last_used_at) >= LAST_USED_RESOLUTION_MS) {
    await touchApiKey(deps.db, row.id, now.toISOString());
  }
  return { apiKeyId: row.id, workspaceId: row.workspace_id };
}
