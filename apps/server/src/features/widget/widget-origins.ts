import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import { isOriginOnAnyLiveKey as isOnAnyKey } from '../../db/widget-visitors.repository.ts';
import { findKeyAndChatbot, isOriginAllowed } from './visitor-sessions.ts';

/** Whether a preflight's origin may go on: on the named key's list, or without a key on any live key's. */
export async function isOriginOnAnyLiveKey(
  deps: { db: Kysely<Database> },
  origin: string,
  key: string | undefined,
): Promise<boolean> {
  if (key === undefined) {
    let normalized: string;
    try {
      normalized = new URL(origin).origin;
    } catch {
      return false;
    }
    return isOnAnyKey(deps.db, normalized);
  }
  const found = await findKeyAndChatbot(deps, key).catch(() => undefined);
  return found !== undefined && isOriginAllowed(found.allowedOrigins, origin);
}
