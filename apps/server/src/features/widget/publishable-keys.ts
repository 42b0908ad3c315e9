import { MAX_PUBLISHABLE_KEYS, type PublishableKey, type PublishableKeyCreate } from '@pollybot/contracts';
import type { Kysely } from 'kysely';
import type { Database, PublishableKeyRow } from '../../db/database.ts';
import type { Page, PageOptions } from '../../db/page.ts';
import {
  countLivePublishableKeys,
  findPublishableKey,
  insertPublishableKey,
  listPublishableKeys,
  revokePublishableKey,
  updatePublishableKeyOrigins,
} from '../../db/publishable-keys.repository.ts';
import { AppError } from '../../errors/app-error.ts';
import type { Clock } from '../../lib/clock.ts';
import type { IdGenerator } from '../../lib/ids.ts';
import { getChatbot } from '../chatbots/save-chatbot.ts';
import { generatePublishableKey } from './widget-secrets.ts';

type KeyDeps = { db: Kysely<Database>; clock: Clock; ids: IdGenerator };

/** Origins as a browser sends them in `Origin`: scheme, host and port only, lower-case, without duplicates. */
function normalizeOrigins(origins: readonly string[]): string[] {
  return [...new Set(origins.map((origin) => new URL(origin).origin))];
}

/** A stored key's origins. */
export function readAllowedOrigins(row: Pick<PublishableKeyRow, 'allowed_origins'>): string[] {
  const parsed: unknown = JSON.parse(row.allowed_origins);
  return Array.isArray(parsed) ? parsed.filter((origin): origin is string => typeof origin === 'string') : [];
}

function toPublishableKeyView(row: PublishableKeyRow): PublishableKey {
  return {
    id: row.id,
    chatbotId: row.chatbot_id,
    name: row.name,
    key: row.key,
    allowedOrigins: readAllowedOrigins(row),
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
  };
}

/**
 * A new publishable key of a chatbot of the workspace. At most MAX_PUBLISHABLE_KEYS live keys per chatbot
 * (409 PUBLISHABLE_KEY_LIMIT_REACHED past it); the count and the insert are not one statement, so two
 * simultaneous creations may pass the limit by one, which only costs a row.
 */
export async function createPublishableKey(
  deps: KeyDeps,
  scope: { workspaceId: string; chatbotId: string; createdBy: string | undefined },
  input: PublishableKeyCreate,
): Promise<PublishableKey> {
  const chatbot = await getChatbot(deps, scope.workspaceId, scope.chatbotId);
  if ((await countLivePublishableKeys(deps.db, chatbot.id)) >= MAX_PUBLISHABLE_KEYS)
    throw new AppError('PUBLISHABLE_KEY_LIMIT_REACHED');
  const row: PublishableKeyRow = {
    id: deps.ids(),
    workspace_id: chatbot.workspace_id,
    chatbot_id: chatbot.id,
    name: input.name ?? null,
    key: generatePublishableKey(),
    allowed_origins: JSON.stringify(normalizeOrigins(input.allowedOrigins)),
    created_at: deps.clock.now().toISOString(),
    revoked_at: null,
    created_by: scope.createdBy ?? null,
  };
  await insertPublishableKey(deps.db, row);
  return toPublishableKeyView(row);
}

/** The chatbot's keys, newest first, revoked ones included. */
export async function listPublishableKeyViews(
  deps: { db: Kysely<Database> },
  workspaceId: string,
  chatbotId: string,
  options: PageOptions,
): Promise<Page<PublishableKey>> {
  const chatbot = await getChatbot(deps, workspaceId, chatbotId);
  const page = await listPublishableKeys(deps.db, chatbot.id, options);
  return { items: page.items.map(toPublishableKeyView), nextCursor: page.nextCursor };
}

/** Replaces a live key's origins (the new list applies to the next request); a revoked key is a 404. */
export async function updatePublishableKey(
  deps: { db: Kysely<Database> },
  address: { workspaceId: string; chatbotId: string; keyId: string },
  allowedOrigins: readonly string[],
): Promise<PublishableKey> {
  const chatbot = await getChatbot(deps, address.workspaceId, address.chatbotId);
  const origins = JSON.stringify(normalizeOrigins(allowedOrigins));
  if (!(await updatePublishableKeyOrigins(deps.db, chatbot.id, address.keyId, origins)))
    throw new AppError('PUBLISHABLE_KEY_NOT_FOUND');
  const row = await findPublishableKey(deps.db, chatbot.id, address.keyId);
  if (!row) throw new AppError('PUBLISHABLE_KEY_NOT_FOUND');
  return toPublishableKeyView(row);
}

/** Revokes a live key: its sessions end at once, and it starts no more. */
export async function revokePublishableKeyOf(
  deps: { db: Kysely<Database>; clock: Clock },
  address: { workspaceId: string; chatbotId: string; keyId: string },
): Promise<void> {
  const chatbot = await getChatbot(deps, address.workspaceId, address.chatbotId);
  const revoked = await revokePublishableKey(
    deps.db,
    chatbot.id,
    address.keyId,
    deps.clock.now().toISOString(),
  );
  if (!revoked) throw new AppError('PUBLISHABLE_KEY_NOT_FOUND');
}
