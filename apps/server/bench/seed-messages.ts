import { sql } from 'kysely';
import { monotonicFactory } from 'ulid';
import { connectDatabase } from '../src/db/connect.ts';
import type { NewMessageRow } from '../src/db/database.ts';

// Stored history written straight into a database PollyBot has already migrated (and is running on), in
// batched inserts: conversations of the bench's chatbot, each an alternation of user messages and complete
// assistant replies, dated a month ago so that whatever the server writes afterwards sorts after them.

const BATCH = 1_000;
const MONTH_MS = 30 * 24 * 60 * 60 * 1000;

export type SeedTarget = { databaseUrl: string; workspaceId: string; chatbotId: string };

export type SeedPlan = {
  /** Fill these existing conversations... */
  conversationIds?: string[];
  /** ...or create this many. */
  newConversations?: number;
  messagesEach: number;
  /** Called after each batch with the number of messages written so far. */
  onProgress?: (written: number) => void;
};

/** Writes the plan's messages; answers the ids of the conversations it filled. */
export async function seedMessages(target: SeedTarget, plan: SeedPlan): Promise<string[]> {
  const handle = connectDatabase(target.databaseUrl);
  try {
    const since = Date.now() - MONTH_MS;
    const nextId = monotonicFactory();
    const id = (time: number) => nextId(time).toLowerCase();
    const createdAt = (time: number) => new Date(time).toISOString();

    const conversationIds = [...(plan.conversationIds ?? [])];
    const newConversations = plan.newConversations ?? 0;
    for (let made = 0; made < newConversations; made += BATCH) {
      const rows = Array.from({ length: Math.min(BATCH, newConversations - made) }, () => {
        const row = {
          id: id(since),
          workspace_id: target.workspaceId,
          chatbot_id: target.chatbotId,
          created_at: createdAt(since),
          updated_at: createdAt(since),
        };
        conversationIds.push(row.id);
        return row;
      });
      await handle.db.insertInto('conversations').values(rows).execute();
    }

    // Message by message through every conversation, so each batch is one multi-row insert.
    const total = conversationIds.length * plan.messagesEach;
    let pending: NewMessageRow[] = [];
    let written = 0;
    for (const [index, conversationId] of conversationIds.entries()) {
      for (let position = 0; position < plan.messagesEach; position++) {
        // Spread over the month, in the order written, so ids and timestamps agree.
        const time = since + Math.floor(((index * plan.messagesEach + position) / total) * (MONTH_MS / 2));
        const isUser = position % 2 === 0;
        pending.push({
          id: id(time),
          conversation_id: conversationId,
          workspace_id: target.workspaceId,
          role: isUser ? 'user' : 'assistant',
          content: isUser
            ? `Question ${position / 2 + 1}: when does the shop open, and do you ship abroad?`
            : 'Sure, our shop opens at nine and ships every order within two days, abroad included.',
          metadata: isUser ? JSON.stringify({ userId: `customer-${index % 500}` }) : null,
          status: 'complete',
          model: isUser ? null : 'openai/bench',
          input_tokens: isUser ? null : 24,
          output_tokens: isUser ? null : 18,
          credits: isUser ? null : 1,
          user_id: isUser ? `customer-${index % 500}` : null,
          sources: null,
          error_code: null,
          created_at: createdAt(time),
        });
        if (pending.length === BATCH) {
          await handle.db.insertInto('messages').values(pending).execute();
          written += pending.length;
          pending = [];
          plan.onProgress?.(written);
        }
      }
    }
    if (pending.length > 0) await handle.db.insertInto('messages').values(pending).execute();
    // PostgreSQL's planner would otherwise plan against the statistics of the empty table for a while.
    if (handle.dialect === 'postgres') await sql`analyze conversations, messages`.execute(handle.db);
    return conversationIds;
  } finally {
    await handle.close();
  }
}
