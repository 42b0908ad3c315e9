import type { Kysely } from 'kysely';
import { revokeApiKey as revokeApiKeyRow } from '../../db/api-keys.repository.ts';
import type { Database } from '../../db/database.ts';
import { AppError } from '../../errors/app-error.ts';
import type { Clock } from '../../lib/clock.ts';
import type { InvalidationBus } from '../cache/invalidation-bus.ts';

/**
 * Revokes a key of the workspace, API_KEY_NOT_FOUND when it has no such active key; every instance has dropped
 * the key from its cache when this returns.
 */
export async function revokeApiKey(
  deps: { db: Kysely<Database>; clock: Clock; invalidations: Pick<InvalidationBus, 'publish'> },
  workspaceId: string,
  id: string,
): Promise<void> {
  const revoked = await revokeApiKeyRow(deps.db, workspaceId, id, deps.clock.now().toISOString());
  if (!revoked) throw new AppError('API_KEY_NOT_FOUND');
  await deps.invalidations.publish('api-key', id);
}
