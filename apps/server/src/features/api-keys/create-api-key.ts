import type { Kysely } from 'kysely';
import { insertApiKey } from '../../db/api-keys.repository.ts';
import type { ApiKeyRow, Database } from '../../db/database.ts';
import type { Clock } from '../../lib/clock.ts';
import type { IdGenerator } from '../../lib/ids.ts';
import { generateApiKey } from './api-key-secret.ts';

/**
 * Creates a key for the workspace; the secret is in the answer and nowhere else. `createdBy` is the signed-in
 * person who asked for it (their keys are revoked when they are removed); none for the operator API, the demo
 * seed or a request made with an API key.
 */
export async function createApiKey(
  deps: { db: Kysely<Database>; clock: Clock; ids: IdGenerator },
  workspaceId: string,
  name: string,
  createdBy: string | undefined = undefined,
): Promise<{ row: ApiKeyRow; key: string }> {
  const { key, prefix, hash } = generateApiKey();
  const row: ApiKeyRow = {
    id: deps.ids(),
    workspace_id: workspaceId,
    name,
    prefix,
    key_hash: hash,
    created_by: createdBy ?? null,
    created_at: deps.clock.now().toISOString(),
    last_used_at: null,
    revoked_at: null,
  };
  await insertApiKey(deps.db, row);
  return { row, key };
}

export function toApiKeyView(row: ApiKeyRow) {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    createdBy: row.created_by,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}
