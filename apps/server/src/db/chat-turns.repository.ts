import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { DatabaseHandle } from './connect.ts';
import {
  endLapsedReply,
  insertConversation,
  insertMessages,
  touchConversation,
  updateGeneratingMessage,
} from './conversations.repository.ts';
import {
  insertReservation,
  moveCredits,
  releaseReservation,
  settleReservation,
} from './credits.repository.ts';
import type { Database, MessageStatus, NewMessageRow } from './database.ts';

// A chat turn is written twice: when it starts (its conversation, the user's message, the reply's row and the
// credits the reply holds) and when it ends (the reply's outcome with its charge or refund). Each write is
// atomic. On SQLite it is the usual statements in the handle's group commit (write-batch.ts), run
// in-process; on PostgreSQL it is one statement of data-modifying CTEs: one round trip instead of six
// (start) or four (end), and the workspace's row is locked only for that statement (docs/performance.md).

/** The credits a reply holds while it is generated: a reservation and its ledger row. */
export type TurnReservation = {
  id: string;
  /** The id of the ledger row of the reservation (when the turn starts) or of its release (when it ends). */
  ledgerId: string;
  amount: number;
  expiresAt: string;
};

export type TurnOpening = {
  workspaceId: string;
  chatbotId: string;
  conversationId: string;
  /** A new conversation is created; an existing one has its `updated_at` moved on. */
  isNewConversation: boolean;
  /** A new conversation's widget visitor: it is then stored as the widget's (`channel = 'widget'`). */
  visitorId?: string | undefined;
  now: string;
  /** The user's message and the reply's row (`generating`). */
  messages: [NewMessageRow, NewMessageRow];
  /** Undefined for a free reply, which holds nothing. */
  reservation: TurnReservation | undefined;
};

/** Stored: the balance right after the reservation (undefined for a free reply); or refused for a short balance. */
export type TurnOpened = { ok: true; balance: number | undefined } | { ok: false };

/** The outcome of a reply as its message stores it. */
export type ReplyFields = {
  status: MessageStatus;
  content: string;
  input_tokens: number | null;
  output_tokens: number | null;
  sources: string | null;
  error_code: string | null;
  /** The credits stored on a reply that is not charged: 0, or null for a failure. */
  credits: number | null;
};

export type TurnClosing = {
  messageId: string;
  reply: ReplyFields;
  now: string;
  /**
   * What happens to the reply's reservation: `settle` keeps its credits (the message then stores what it
   * kept), `release` gives them back with a ledger row. Undefined for a free reply.
   */
  reservation: (TurnReservation & { outcome: 'settle' | 'release' }) | undefined;
};

/**
 * `charged`: whether the reservation's credits were kept (false when released, or when a sweep had already given
 * them back). `stored`: whether the outcome was written, false when the reply had been ended already (its lease
 * lapsed and another instance, or this one's sweep, ended it) or deleted.
 */
export type TurnClosed = { charged: boolean; stored: boolean };

class ShortBalance extends Error {}

/** Stores a turn's start, or nothing when the workspace's balance does not cover the reservation. */
export async function openTurn(database: DatabaseHandle, opening: TurnOpening): Promise<TurnOpened> {
  if (database.dialect === 'postgres') return openTurnInOneStatement(database.db, opening);
  const { reservation, workspaceId, now } = opening;
  try {
    return await database.write(async (trx): Promise<TurnOpened> => {
      if (opening.isNewConversation) {
        await insertConversation(trx, {
          id: opening.conversationId,
          workspace_id: workspaceId,
          chatbot_id: opening.chatbotId,
          channel: opening.visitorId ? 'widget' : 'api',
          visitor_id: opening.visitorId ?? null,
          created_at: now,
          updated_at: now,
        });
      } else {
        await touchConversation(trx, opening.conversationId, now);
      }
      await insertMessages(trx, opening.messages);
      if (!reservation) return { ok: true, balance: undefined };
      const balance = await moveCredits(trx, {
        id: reservation.ledgerId,
        workspace_id: workspaceId,
        amount: -reservation.amount,
        reason: 'reservation',
        reservation_id: reservation.id,
        created_at: now,
      });
      if (balance === undefined) throw new ShortBalance();
      await insertReservation(trx, {
        id: reservation.id,
        workspace_id: workspaceId,
        amount: reservation.amount,
        created_at: now,
        expires_at: reservation.expiresAt,
      });
      return { ok: true, balance };
    });
  } catch (error) {
    if (error instanceof ShortBalance) return { ok: false };
    throw error;
  }
}

/** Stores a reply's outcome with its reservation settled or released, atomically. */
export async function closeTurn(database: DatabaseHandle, closing: TurnClosing): Promise<TurnClosed> {
  const { reservation, messageId, reply } = closing;
  if (database.dialect === 'postgres') return closeTurnInOneStatement(database.db, closing);
  return database.write(async (trx) => {
    let charged = false;
    if (reservation?.outcome === 'settle') {
      charged = await settleReservation(trx, reservation.id, messageId);
    } else if (reservation) {
      await releaseReservation(trx, reservation.id, { id: reservation.ledgerId, created_at: closing.now });
    }
    const credits = charged && reservation ? reservation.amount : reply.credits;
    const stored = await updateGeneratingMessage(trx, messageId, { ...reply, credits });
    return { charged, stored };
  });
}

/** A reply whose lease lapsed, to be ended with the text it has, its credits given back. */
export type LapsedTurnEnding = {
  messageId: string;
  content: string;
  now: string;
  /** The reply's reservation and the id of its release's ledger row; undefined for a free reply. */
  reservation: { id: string; ledgerId: string } | undefined;
};

class StillHeld extends Error {}

/**
 * Ends a reply whose instance stopped renewing its lease: `incomplete` with the given text, not charged (its
 * reservation released with a ledger row), in one atomic write. Nothing happens, and false is answered, when
 * the reply is no longer generating under a lapsed lease: it was renewed, or it ended rightfully, meanwhile.
 * The reservation is taken before the message, in the same order as closeTurn, so the two never deadlock.
 */
export async function endLapsedTurn(database: DatabaseHandle, ending: LapsedTurnEnding): Promise<boolean> {
  try {
    return await database.write(async (trx) => {
      if (ending.reservation) {
        await releaseReservation(trx, ending.reservation.id, {
          id: ending.reservation.ledgerId,
          created_at: ending.now,
        });
      }
      const ended = await endLapsedReply(trx, ending.messageId, { content: ending.content, now: ending.now });
      // Renewed or ended meanwhile: the release above is rolled back with this.
      if (!ended) throw new StillHeld();
      return true;
    });
  } catch (error) {
    if (error instanceof StillHeld) return false;
    throw error;
  }
}

const text = (value: string | null) => sql`${value}::text`;
const integer = (value: number | null) => sql`${value}::integer`;

function messageValues(row: NewMessageRow): RawBuilder<unknown> {
  return sql`(${sql.join([
    text(row.id),
    text(row.conversation_id),
    text(row.workspace_id),
    text(row.role),
    text(row.content),
    text(row.metadata ?? null),
    text(row.status),
    text(row.model ?? null),
    text(row.user_id ?? null),
    text(row.lease_expires_at ?? null),
    text(row.reservation_id ?? null),
    text(row.created_at),
  ])})`;
}

/**
 * PostgreSQL: the reservation's guarded UPDATE comes first, and every other row is inserted from its result, so
 * a short balance stores nothing at all. Foreign keys between the rows are checked at the statement's end.
 */
async function openTurnInOneStatement(db: Kysely<Database>, opening: TurnOpening): Promise<TurnOpened> {
  const { reservation, workspaceId, now } = opening;
  const gate = reservation
    ? sql`gate as (
        update workspaces set credits = credits - ${integer(reservation.amount)}
        where id = ${text(workspaceId)} and credits - ${integer(reservation.amount)} >= 0
        returning credits
      ),
      ledger as (
        insert into credit_ledger (id, workspace_id, amount, reason, reservation_id, created_at, balance_after)
        select ${text(reservation.ledgerId)}, ${text(workspaceId)}, ${integer(-reservation.amount)}, 'reservation',
          ${text(reservation.id)}, ${text(now)}, credits
        from gate
      ),
      reservation as (
        insert into credit_reservations (id, workspace_id, amount, status, message_id, created_at, expires_at)
        select ${text(reservation.id)}, ${text(workspaceId)}, ${integer(reservation.amount)}, 'held', null,
          ${text(now)}, ${text(reservation.expiresAt)}
        from gate
      )`
    : sql`gate as (select credits from workspaces where id = ${text(workspaceId)})`;
  const conversation = opening.isNewConversation
    ? sql`insert into conversations (id, workspace_id, chatbot_id, channel, visitor_id, created_at, updated_at)
        select ${text(opening.conversationId)}, ${text(workspaceId)}, ${text(opening.chatbotId)},
          ${text(opening.visitorId ? 'widget' : 'api')}, ${text(opening.visitorId ?? null)}, ${text(now)},
          ${text(now)}
        from gate`
    : sql`update conversations set updated_at = ${text(now)} from gate
        where conversations.id = ${text(opening.conversationId)}`;
  const result = await sql<{ credits: number }>`
    with ${gate},
    conversation as (${conversation}),
    turn_messages as (
      insert into messages (id, conversation_id, workspace_id, role, content, metadata, status, model, user_id,
        lease_expires_at, reservation_id, created_at)
      select rows.* from gate cross join (values ${sql.join(opening.messages.map(messageValues))})
        as rows(id, conversation_id, workspace_id, role, content, metadata, status, model, user_id,
          lease_expires_at, reservation_id, created_at)
    )
    select credits from gate`.execute(db);
  const row = result.rows[0];
  if (!row) return { ok: false };
  return { ok: true, balance: reservation ? Number(row.credits) : undefined };
}

/**
 * PostgreSQL: settling or releasing the reservation and storing the reply, in one statement. The reply is
 * stored only while it is still `generating` (a lapsed lease may have ended it); the reservation's guarded
 * update runs first, so a reservation released by that ending is never settled.
 */
async function closeTurnInOneStatement(db: Kysely<Database>, closing: TurnClosing): Promise<TurnClosed> {
  const { reservation, messageId, reply, now } = closing;
  const store = (credits: RawBuilder<unknown>) => sql`update messages set status = ${text(reply.status)},
      content = ${text(reply.content)}, input_tokens = ${integer(reply.input_tokens)},
      output_tokens = ${integer(reply.output_tokens)}, sources = ${text(reply.sources)},
      error_code = ${text(reply.error_code)}, credits = ${credits}, lease_expires_at = null
    where id = ${text(messageId)} and status = 'generating'
    returning id`;
  const storedCount = sql`(select count(*) from stored)::integer as stored`;
  if (!reservation) {
    const result = await sql<{ stored: number }>`
      with stored as (${store(integer(reply.credits))}) select ${storedCount}`.execute(db);
    return { charged: false, stored: Number(result.rows[0]?.stored) > 0 };
  }
  if (reservation.outcome === 'settle') {
    const result = await sql<{ amount: number | null; stored: number }>`
      with settled as (
        update credit_reservations set status = 'settled', message_id = ${text(messageId)}
        where id = ${text(reservation.id)} and status = 'held'
        returning amount
      ),
      stored as (${store(sql`coalesce((select amount from settled), ${integer(reply.credits)})`)})
      select (select amount from settled) as amount, ${storedCount}`.execute(db);
    const row = result.rows[0];
    return { charged: row?.amount !== null && row?.amount !== undefined, stored: Number(row?.stored) > 0 };
  }
  const result = await sql<{ stored: number }>`
    with released as (
      update credit_reservations set status = 'released'
      where id = ${text(reservation.id)} and status = 'held'
      returning workspace_id, amount
    ),
    refunded as (
      update workspaces set credits = workspaces.credits + released.amount
      from released where workspaces.id = released.workspace_id
      returning workspaces.id, workspaces.credits, released.amount
    ),
    ledger as (
      insert into credit_ledger (id, workspace_id, amount, reason, reservation_id, created_at, balance_after)
      select ${text(reservation.ledgerId)}, id, amount, 'release', ${text(reservation.id)}, ${text(now)}, credits
      from refunded
    ),
    stored as (${store(integer(reply.credits))})
    select ${storedCount}`.execute(db);
  return { charged: false, stored: Number(result.rows[0]?.stored) > 0 };
}
