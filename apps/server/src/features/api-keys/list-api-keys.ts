import type { Kysely } from 'kysely';
import { listApiKeys } from '../../db/api-keys.repository.ts';
import type { Database } from '../../db/database.ts';
import type { Page, PageOptions } from '../../db/page.ts';
import { toApiKeyView } from './create-api-key.ts';

/** The workspace's keys, newest first, without their secrets. */
export async function listApiKeyViews(
  deps: { db: Kysely<Database> },
  workspaceId: string,
  options: PageOptions,
): Promise<Page<ReturnType<typeof toApiKeyView>>> {
  const page = await listApiKeys(deps.db, workspaceId, options);
  return { items: page.items.map(toApiKeyView), nextCursor: page.nextCursor };
}
