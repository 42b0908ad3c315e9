import type { UsageReport } from '@pollybot/contracts';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import { sumRepliesByChatbot, sumRepliesByDay } from '../../db/usage.repository.ts';
import { findWorkspace } from '../../db/workspaces.repository.ts';
import type { Clock } from '../../lib/clock.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Replies (assistant messages that did not fail) and the credits they cost over the last `days` UTC days,
 * today included: every day listed oldest first (zeros included), and per chatbot the busiest first.
 */
export async function reportUsage(
  deps: { db: Kysely<Database>; clock: Clock },
  workspaceId: string,
  days: number,
): Promise<UsageReport> {
  const today = Math.floor(deps.clock.now().getTime() / DAY_MS) * DAY_MS;
  const first = today - (days - 1) * DAY_MS;
  const period = { since: new Date(first).toISOString(), until: new Date(today + DAY_MS).toISOString() };
  const [byDay, byChatbot, workspace] = await Promise.all([
    sumRepliesByDay(deps.db, workspaceId, period),
    sumRepliesByChatbot(deps.db, workspaceId, period),
    findWorkspace(deps.db, workspaceId),
  ]);
  const totals = new Map(byDay.map((row) => [row.date, row]));
  return {
    days: Array.from({ length: days }, (_, index) => {
      const date = new Date(first + index * DAY_MS).toISOString().slice(0, 10);
      return { date, messages: totals.get(date)?.messages ?? 0, credits: totals.get(date)?.credits ?? 0 };
    }),
    chatbots: byChatbot,
    balance: workspace?.credits ?? 0,
  };
}
