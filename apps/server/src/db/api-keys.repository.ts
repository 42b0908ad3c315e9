import type { Kysely } from 'kysely';
import type { ApiKeyRow, Database } from './database.ts';
import { fetchPage, type Page, type PageOptions } from './page.ts';

export async function insertApiKey(db: Kysely<Database>, row: ApiKeyRow): Promise<void> {
  await db.insertInto('api_keys').values(row).execute();
}

/** Finds an active (not revoked) key by the hash of its secret. */
export function findActiveApiKeyByHash(
  db: Kysely<Database>,
  keyHash: string,
): Promise<ApiKeyRow | undefined> {
  return db
    .selectFrom('api_keys')
    .selectAll()
    .where('key_hash', '=', keyHash)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
}

export async function listApiKeys(
  db: Kysely<Database>,
  workspaceId: string,
  options: PageOptions,
): Promise<Page<ApiKeyRow>> {
  return fetchPage(db.selectFrom('api_keys').selectAll().where('workspace_id', '=', workspaceId), options);
}

/** Revokes a key of the workspace; answers false when there is no such active key. */
export async function revokeApiKey(
  db: Kysely<Database>,
  workspaceId: string,
  id: string,
  revokedAt: string,
): Promise<boolean> {
  const result = await db
    .updateTable('api_keys')
    .set({ revoked_at: revokedAt })
    .where('id', '=', id)
    .where('workspace_id', '=', workspaceId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function touchApiKey(db: Kysely<Database>, id: string, usedAt: string): Promise<void> {
  await db.updateTable('api_keys').set({ last_used_at: usedAt }).where('id', '=', id).execute();
}

/** Revokes the active keys someone created in the workspace; answers their ids. */
export async function revokeApiKeysCreatedBy(
  db: Kysely<Database>,
  workspaceId: string,
  createdBy: string,
  revokedAt: string,
): Promise<string[]> {
  const rows = await db
    .updateTable('api_keys')
    .set({ revoked_at: revokedAt })
    .where('workspace_id', '=', workspaceId)
    .where('created_by', '=', createdBy)
    .where('revoked_at', 'is', null)
    .returning('id')
    .execute();
  return rows.map((row) => row.id);
}
