import { Redis } from 'ioredis';
import { CompiledQuery } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { dialects, insertTestChatbot, useTestDatabase } from '../../../test/helpers/databases.ts';
import { closeTurn, openTurn, type TurnOpening } from '../../db/chat-turns.repository.ts';
import {
  findReplyMessage,
  lapsedRepliesQuery,
  renewGeneratingReply,
} from '../../db/conversations.repository.ts';
import { sumLedger } from '../../db/credits.repository.ts';
import type { ChatbotRow } from '../../db/database.ts';
import { findWorkspace } from '../../db/workspaces.repository.ts';
import { createIdGenerator } from '../../lib/ids.ts';
import { createCreditService } from '../credits/credit-service.ts';
import { endLapsedReplies } from './end-lapsed-replies.ts';
import { createReplyEventSequence, type ReplyEvent } from './reply-events.ts';
import { createMemoryReplyJournal, createRedisReplyJournal, type ReplyJournal } from './reply-journal.ts';

const LEASE_MS = 20_000;
const redisUrl = process.env.TEST_REDIS_URL;
const redisClients: Redis[] = [];

afterAll(async () => {
  for (const client of redisClients) await client.quit();
});

/** The journals a reply can have: in memory (one instance), and Redis Streams read by another instance. */
function journals(): [string, () => { generating: ReplyJournal; sweeping: ReplyJournal }][] {
  const all: [string, () => { generating: ReplyJournal; sweeping: ReplyJournal }][] = [
    [
      'memory',
      () => {
        const journal = createMemoryReplyJournal();
        return { generating: journal, sweeping: journal };
      },
    ],
  ];
  if (redisUrl) {
    const prefix = `test-lease-${Math.random().toString(36).slice(2)}:`;
    all.push([
      'Redis Streams',
      () => {
        const first = new Redis(redisUrl);
        const second = new Redis(redisUrl);
        redisClients.push(first, second);
        return {
          generating: createRedisReplyJournal({ client: first, prefix }),
          sweeping: createRedisReplyJournal({ client: second, prefix }),
        };
      },
    ]);
  }
  return all;
}

describe.each(dialects)('ending replies whose lease lapsed, on $dialect', ({ dialect, skipReason }) => {
  if (skipReason) {
    it.skip(`skipped: ${skipReason}`, () => {});
    return;
  }

  const database = useTestDatabase(dialect);
  let now = new Date('2026-01-01T00:00:00.000Z');
  const clock = { now: () => now };
  const ids = createIdGenerator();
  const db = () => database().handle.db;
  const later = (ms: number) => {
    now = new Date(now.getTime() + ms);
  };

  async function chatbotWithCredits(credits: number): Promise<ChatbotRow> {
    const chatbot = await insertTestChatbot(db(), { ids, clock });
    await createCreditService({ db: db(), clock, ids, reservationTtlMs: 900_000 }).adjust(
      chatbot.workspace_id,
      credits,
      'grant',
    );
    return chatbot;
  }

  /** Opens a turn as the chat path does: a `generating` reply under a lease, holding `price` credits. */
  async function openReply(chatbot: ChatbotRow, price: number) {
    const createdAt = now.toISOString();
    const shared = {
      conversation_id: ids(),
      workspace_id: chatbot.workspace_id,
      metadata: null,
      user_id: null,
      created_at: createdAt,
    };
    const reservation =
      price === 0
        ? undefined
        : {
            id: ids(),
            ledgerId: ids(),
            amount: price,
            expiresAt: new Date(now.getTime() + 900_000).toISOString(),
          };
    const messageId = ids();
    const opening: TurnOpening = {
      workspaceId: chatbot.workspace_id,
      chatbotId: chatbot.id,
      conversationId: shared.conversation_id,
      isNewConversation: true,
      now: createdAt,
      messages: [
        { ...shared, id: ids(), role: 'user', content: 'Hello', status: 'complete', model: null },
        {
          ...shared,
          id: messageId,
          role: 'assistant',
          content: '',
          status: 'generating',
          model: chatbot.model,
          lease_expires_at: new Date(now.getTime() + LEASE_MS).toISOString(),
          reservation_id: reservation?.id ?? null,
        },
      ],
      reservation,
    };
    expect((await openTurn(database().handle, opening)).ok).toBe(true);
    return { messageId, conversationId: shared.conversation_id, reservation };
  }

  const renew = (messageId: string, content?: string) =>
    renewGeneratingReply(db(), messageId, {
      leaseExpiresAt: new Date(now.getTime() + LEASE_MS).toISOString(),
      content,
    });

  const sweep = (journal: ReplyJournal = createMemoryReplyJournal()) =>
    endLapsedReplies({ database: database().handle, clock, ids, journal });

  const balanceOf = async (chatbot: ChatbotRow) => (await findWorkspace(db(), chatbot.workspace_id))?.credits;

  it('ends a reply whose lease ran out: incomplete with its text so far, its credits given back once', async () => {
    const chatbot = await chatbotWithCredits(10);
    const lapsed = await openReply(chatbot, 2);
    const alive = await openReply(chatbot, 3);
    await renew(lapsed.messageId, 'The first words');
    expect(await balanceOf(chatbot)).toBe(5);

    // The instance generating `lapsed` stops; the one generating `alive` keeps renewing.
    later(LEASE_MS / 2);
    await renew(alive.messageId, 'Still');
    later(LEASE_MS / 2 + 1);
    await renew(alive.messageId, 'Still going');
    expect(await sweep()).toBe(1);

    expect(await findReplyMessage(db(), lapsed.messageId)).toMatchObject({
      status: 'incomplete',
      content: 'The first words',
      credits: null,
      lease_expires_at: null,
    });
    expect(await findReplyMessage(db(), alive.messageId)).toMatchObject({
      status: 'generating',
      content: 'Still going',
    });
    expect(await balanceOf(chatbot)).toBe(7);
    expect(await sumLedger(db(), chatbot.workspace_id)).toBe(7);
    // A second sweep finds nothing more to end, and the reservation sweep nothing more to release.
    expect(await sweep()).toBe(0);
    await closeTurn(database().handle, {
      messageId: alive.messageId,
      reply: {
        status: 'complete',
        content: 'Still going, and done',
        input_tokens: 5,
        output_tokens: 5,
        sources: null,
        error_code: null,
        credits: 0,
      },
      now: now.toISOString(),
      reservation: alive.reservation && { ...alive.reservation, ledgerId: ids(), outcome: 'settle' },
    });
    later(900_001);
    await createCreditService({ db: db(), clock, ids, reservationTtlMs: 900_000 }).releaseExpired();
    expect(await balanceOf(chatbot)).toBe(7);
    expect(await sumLedger(db(), chatbot.workspace_id)).toBe(7);
  });

  it('a renewal refused after the sweep tells the generating instance it lost the reply', async () => {
    const chatbot = await chatbotWithCredits(10);
    const turn = await openReply(chatbot, 1);
    later(LEASE_MS + 1);
    expect(await sweep()).toBe(1);

    expect(await renew(turn.messageId, 'Late words')).toBe(false);
    expect(await findReplyMessage(db(), turn.messageId)).toMatchObject({ status: 'incomplete', content: '' });
  });

  it('the rightful end arriving after the sweep neither overwrites the ending nor charges', async () => {
    const chatbot = await chatbotWithCredits(10);
    const turn = await openReply(chatbot, 2);
    await renew(turn.messageId, 'Half an ans');
    later(LEASE_MS + 1);
    expect(await sweep()).toBe(1);

    const closed = await closeTurn(database().handle, {
      messageId: turn.messageId,
      reply: {
        status: 'complete',
        content: 'Half an answer, then the rest',
        input_tokens: 5,
        output_tokens: 7,
        sources: null,
        error_code: null,
        credits: 0,
      },
      now: now.toISOString(),
      reservation: turn.reservation && { ...turn.reservation, ledgerId: ids(), outcome: 'settle' },
    });

    expect(closed).toEqual({ charged: false, stored: false });
    expect(await findReplyMessage(db(), turn.messageId)).toMatchObject({
      status: 'incomplete',
      content: 'Half an ans',
      credits: null,
    });
    expect(await balanceOf(chatbot)).toBe(10);
    expect(await sumLedger(db(), chatbot.workspace_id)).toBe(10);
  });

  it('the sweep after the rightful end changes nothing, and sweeps racing each other end a reply once', async () => {
    const chatbot = await chatbotWithCredits(10);
    const finished = await openReply(chatbot, 2);
    const abandoned = await openReply(chatbot, 2);
    await closeTurn(database().handle, {
      messageId: finished.messageId,
      reply: {
        status: 'complete',
        content: 'Done in time',
        input_tokens: 5,
        output_tokens: 3,
        sources: null,
        error_code: null,
        credits: 0,
      },
      now: now.toISOString(),
      reservation: finished.reservation && { ...finished.reservation, ledgerId: ids(), outcome: 'settle' },
    });
    later(LEASE_MS + 1);

    const ended = await Promise.all([sweep(), sweep(), sweep()]);

    expect(ended.reduce((sum, count) => sum + count, 0)).toBe(1);
    expect(await findReplyMessage(db(), finished.messageId)).toMatchObject({
      status: 'complete',
      credits: 2,
    });
    expect(await findReplyMessage(db(), abandoned.messageId)).toMatchObject({ status: 'incomplete' });
    expect(await balanceOf(chatbot)).toBe(8);
    expect(await sumLedger(db(), chatbot.workspace_id)).toBe(8);
  });

  describe.each(journals())('with the %s journal', (_name, createJournals) => {
    it('sends a follower of the stream the text it missed and the terminal event, keeping the longer text', async () => {
      const { generating, sweeping } = createJournals();
      const chatbot = await chatbotWithCredits(10);
      const turn = await openReply(chatbot, 1);
      // The journal got further than the stored text (written every half second) before the instance died.
      const sequence = createReplyEventSequence(turn.conversationId, turn.messageId);
      const writer = generating.open(turn.messageId);
      writer.append(sequence.start());
      writer.append(sequence.delta('The stored part'));
      writer.append(sequence.delta(', and the part only the journal has'));
      await writer.flush();
      await renew(turn.messageId, 'The stored part');
      const follower = sweeping.follow(turn.messageId, {
        signal: new AbortController().signal,
        idleMs: 10_000,
      });
      const seen: ReplyEvent[] = [];
      const reading = (async () => {
        for (;;) {
          const next = await follower.next();
          if (next.done) return next.value;
          seen.push(next.value);
        }
      })();

      later(LEASE_MS + 1);
      expect(await sweep(sweeping)).toBe(1);

      expect(await reading).toBe('ended');
      const text = 'The stored part, and the part only the journal has';
      expect(seen.at(-1)).toMatchObject({
        id: `${text.length}-end`,
        event: 'done',
        data: { success: true, data: { response: text, messageId: turn.messageId } },
      });
      expect(await findReplyMessage(db(), turn.messageId)).toMatchObject({
        status: 'incomplete',
        content: text,
      });
    });
  });

  it.runIf(dialect === 'sqlite')('finds lapsed replies through the partial index', async () => {
    const query = lapsedRepliesQuery(db(), now.toISOString(), 100).compile();

    const plan = await db().executeQuery<{ detail: string }>(
      CompiledQuery.raw(`explain query plan ${query.sql}`, [...query.parameters]),
    );

    expect(plan.rows.map((row) => row.detail).join('\n')).toMatch(/USING INDEX messages_reply_lease_idx/);
  });
});
