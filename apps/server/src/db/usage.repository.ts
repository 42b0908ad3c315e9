import { type ExpressionBuilder, type Kysely, sql } from 'kysely';
import type { Database, MessageTable } from './database.ts';

export type UsageTotals = { messages: number; credits: number };

// Timestamps are ISO-8601 UTC text, so their first ten characters are the UTC day in either dialect.
const day = sql<string>`substr(${sql.ref('m.created_at')}, 1, 10)`;

/** Replies (assistant messages that did not fail) and their credits in the period, per UTC day. */
/** Replies that count as usage: the workspace's assistant messages in the period that did not fail. */
function isCountedReply(
  eb: ExpressionBuilder<{ m: MessageTable }, 'm'>,
  workspaceId: string,
  period: { since: string; until: string },
) {
  return eb.and([
    eb('m.workspace_id', '=', workspaceId),
    eb('m.role', '=', 'assistant'),
    eb('m.status', '!=', 'failed'),
    eb('m.created_at', '>=', period.since),
    eb('m.created_at', '<', period.until),
  ]);
}

export async function sumRepliesByDay(
  db: Kysely<Database>,
  workspaceId: string,
  period: { since: string; until: string },
): Promise<(UsageTotals & { date: string })[]> {
  const rows = await db
    .selectFrom('messages as m')
    .select([
      day.as('date'),
      (eb) => eb.fn.countAll<number | string>().as('messages'),
      (eb) => eb.fn.coalesce(eb.fn.sum<number | string>('m.credits'), sql<number>`0`).as('credits'),
    ])
    .where((eb) => isCountedReply(eb, workspaceId, period))
    .groupBy(day)
    .execute();
  return rows.map((row) => ({
    date: row.date,
    messages: Number(row.messages),
    credits: Number(row.credits),
  }));
}

/** The same replies and credits per chatbot, the busiest first. */
export async function sumRepliesByChatbot(
  db: Kysely<Database>,
  workspaceId: string,
  period: { since: string; until: string },
): Promise<(UsageTotals & { chatbotId: string; name: string })[]> {
  const rows = await db
    .selectFrom('messages as m')
    .innerJoin('conversations as c', 'c.id', 'm.conversation_id')
    .innerJoin('chatbots as b', 'b.id', 'c.chatbot_id')
    .select([
      'b.id',
      'b.name',
      (eb) => eb.fn.countAll<number | string>().as('messages'),
      (eb) => eb.fn.coalesce(eb.fn.sum<number | string>('m.credits'), sql<number>`0`).as('credits'),
    ])
    .where((eb) => isCountedReply(eb, workspaceId, period))
    .groupBy(['b.id', 'b.name'])
    .execute();
  return rows
    .map((row) => ({
      chatbotId: row.id,
      name: row.name,
      messages: Number(row.messages),
      credits: Number(row.credits),
    }))
    .sort((a, b) => b.messages - a.messages || b.credits - a.credits || a.name.localeCompare(b.name));
}
