import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import {
  deleteIdempotencyClaim,
  findIdempotencyKey,
  recordIdempotentReply as recordIdempotentReplyRow,
  tryClaimIdempotencyKey,
} from '../../db/idempotency.repository.ts';
import { AppError } from '../../errors/app-error.ts';
import type { Clock } from '../../lib/clock.ts';
import type { IdGenerator } from '../../lib/ids.ts';

/** How long a key stands for its first request's reply. */
const IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000;
/** A holder that has recorded no reply this long after taking its key has stopped: the next request takes over. */
const ABANDONED_AFTER_MS = 30_000;
/** How often a repeat checks whether the request holding its key has started its reply. */
const WAIT_STEP_MS = 25;
/** Longer than ABANDONED_AFTER_MS, so a repeat always outwaits a holder that stopped. */
const MAX_WAIT_MS = 45_000;

type IdempotencyDeps = { db: Kysely<Database>; clock: Clock; ids: IdGenerator };

/** The key as one request holds it. */
type IdempotencyClaim = { workspaceId: string; key: string; token: string };

/** What a request with an Idempotency-Key does: run (it holds the key) or replay the reply it stands for. */
type IdempotencyDecision =
  | { kind: 'run'; claim: IdempotencyClaim }
  | { kind: 'replay'; messageId: string; conversationId: string };

/** JSON with object keys in order, so equal bodies give equal text however their keys were ordered. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const fields = Object.keys(record)
      .filter((key) => record[key] !== undefined)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`);
    return `{${fields.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** A request's fingerprint: a repeat must match it exactly to be answered with the first one's reply. */
export function fingerprintRequest(request: unknown): string {
  return createHash('sha256').update(canonicalJson(request)).digest('hex');
}

/**
 * Takes the key for this request, or finds the reply it already stands for. A repeat that arrives while the
 * first request is still starting its turn waits for it (on whichever instance it runs). Throws
 * IDEMPOTENCY_KEY_REUSED when the key was used for a different request.
 */
export async function claimIdempotencyKey(
  deps: IdempotencyDeps,
  request: { workspaceId: string; key: string; fingerprint: string },
): Promise<IdempotencyDecision> {
  const deadline = performance.now() + MAX_WAIT_MS;
  for (;;) {
    const now = deps.clock.now();
    const token = deps.ids();
    const claimed = await tryClaimIdempotencyKey(
      deps.db,
      {
        workspace_id: request.workspaceId,
        key: request.key,
        request_hash: request.fingerprint,
        claim_token: token,
        created_at: now.toISOString(),
        expires_at: new Date(now.getTime() + IDEMPOTENCY_WINDOW_MS).toISOString(),
      },
      new Date(now.getTime() - ABANDONED_AFTER_MS).toISOString(),
    );
    if (claimed) return { kind: 'run', claim: { workspaceId: request.workspaceId, key: request.key, token } };

    const existing = await findIdempotencyKey(deps.db, request.workspaceId, request.key);
    if (existing && existing.request_hash !== request.fingerprint)
      throw new AppError('IDEMPOTENCY_KEY_REUSED');
    if (existing?.message_id && existing.conversation_id) {
      return { kind: 'replay', messageId: existing.message_id, conversationId: existing.conversation_id };
    }
    if (performance.now() > deadline) {
      throw new AppError('SERVICE_UNAVAILABLE', {
        message: 'The first request with this Idempotency-Key has not started its reply yet; retry shortly',
      });
    }
    await new Promise((resolve) => setTimeout(resolve, WAIT_STEP_MS));
  }
}

/** The holder's turn has started: repeats now replay this reply. */
export function recordIdempotentReply(
  db: Kysely<Database>,
  claim: IdempotencyClaim,
  reply: { messageId: string; conversationId: string },
): Promise<void> {
  return recordIdempotentReplyRow(db, claim, reply);
}

/** The holder ended before any reply existed (a refusal such as 402): the key is free for a retry. */
export function releaseIdempotencyKey(db: Kysely<Database>, claim: IdempotencyClaim): Promise<void> {
  return deleteIdempotencyClaim(db, claim);
}
