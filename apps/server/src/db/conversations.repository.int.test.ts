import { CompiledQuery } from 'kysely';
import { describe, expect, it } from 'vitest';
import { dialects, insertTestChatbot, useTestDatabase } from '../../test/helpers/databases.ts';
import { createIdGenerator } from '../lib/ids.ts';
import {
  abandonedRepliesUpdate,
  insertConversation,
  insertMessages,
  listMessages,
  markAbandonedReplies,
} from './conversations.repository.ts';
import type { MessageStatus } from './database.ts';

describe.each(dialects)('the sweep of abandoned replies on $dialect', ({ dialect, skipReason }) => {
  if (skipReason) {
    it.skip(`skipped: ${skipReason}`, () => {});
    return;
  }

  const database = useTestDatabase(dialect);
  const clock = { now: () => new Date('2026-01-01T00:10:00.000Z') };
  const ids = createIdGenerator();

  it('ends only the replies still generating that started before the cut-off', async () => {
    const db = database().handle.db;
    const chatbot = await insertTestChatbot(db, { ids, clock });
    const conversationId = ids();
    await insertConversation(db, {
      id: conversationId,
      workspace_id: chatbot.workspace_id,
      chatbot_id: chatbot.id,
      created_at: '2026-01-01T00:00:00.000Z',
      updated_at: '2026-01-01T00:00:00.000Z',
    });
    const reply = (status: MessageStatus, createdAt: string) => ({
      id: ids(),
      conversation_id: conversationId,
      workspace_id: chatbot.workspace_id,
      role: 'assistant' as const,
      content: 'so far',
      status,
      created_at: createdAt,
    });
    await insertMessages(db, [
      reply('generating', '2026-01-01T00:01:00.000Z'),
      reply('complete', '2026-01-01T00:01:00.000Z'),
      reply('generating', '2026-01-01T00:09:00.000Z'),
      // Under a lease its instance renews: the lease sweep's to end, once it lapses, not this one's.
      { ...reply('generating', '2026-01-01T00:01:00.000Z'), lease_expires_at: '2026-01-01T00:10:20.000Z' },
    ]);

    expect(await markAbandonedReplies(db, '2026-01-01T00:05:00.000Z')).toBe(1);

    const statuses = (await listMessages(db, conversationId)).map((message) => message.status);
    expect(statuses).toEqual(['incomplete', 'complete', 'generating', 'generating']);
  });

  it.runIf(dialect === 'sqlite')(
    'finds them through the partial index, not by reading every message',
    async () => {
      const db = database().handle.db;
      const update = abandonedRepliesUpdate(db, '2026-01-01T00:05:00.000Z').compile();

      const plan = await db.executeQuery<{ detail: string }>(
        CompiledQuery.raw(`explain query plan ${update.sql}`, [...update.parameters]),
      );

      // Either partial index holds only the replies being generated.
      expect(plan.rows.map((row) => row.detail).join('\n')).toMatch(
        /USING INDEX messages_(generating|reply_lease)_idx/,
      );
    },
  );
});
