import { describe, expect, it } from 'vitest';
import { dialects, insertTestChatbot, useTestDatabase } from '../../test/helpers/databases.ts';
import { createCreditService } from '../features/credits/credit-service.ts';
import { createIdGenerator } from '../lib/ids.ts';
import { closeTurn, openTurn, type ReplyFields, type TurnOpening } from './chat-turns.repository.ts';
import { findConversation, listMessages } from './conversations.repository.ts';
import { sumLedger } from './credits.repository.ts';
import type { ChatbotRow } from './database.ts';
import { findWorkspace } from './workspaces.repository.ts';

describe.each(dialects)('chat turns on $dialect', ({ dialect, skipReason }) => {
  if (skipReason) {
    it.skip(`skipped: ${skipReason}`, () => {});
    return;
  }

  const database = useTestDatabase(dialect);
  let now = new Date('2026-01-01T00:00:00.000Z');
  const clock = { now: () => now };
  const ids = createIdGenerator();
  const db = () => database().handle.db;

  async function chatbotWithCredits(credits: number): Promise<ChatbotRow> {
    const chatbot = await insertTestChatbot(db(), { ids, clock });
    await createCreditService({ db: db(), clock, ids, reservationTtlMs: 60_000 }).adjust(
      chatbot.workspace_id,
      credits,
      'grant',
    );
    return chatbot;
  }

  /** A turn's opening as the chat path builds it, holding `price` credits (none when 0). */
  function opening(
    chatbot: ChatbotRow,
    price: number,
    conversation: { id: string; isNew: boolean } = { id: ids(), isNew: true },
  ): TurnOpening {
    const createdAt = now.toISOString();
    const shared = {
      conversation_id: conversation.id,
      workspace_id: chatbot.workspace_id,
      metadata: JSON.stringify({ userId: 'customer-7' }),
      user_id: 'customer-7',
      created_at: createdAt,
    };
    return {
      workspaceId: chatbot.workspace_id,
      chatbotId: chatbot.id,
      conversationId: conversation.id,
      isNewConversation: conversation.isNew,
      now: createdAt,
      messages: [
        { ...shared, id: ids(), role: 'user', content: 'Hello', status: 'complete', model: null },
        { ...shared, id: ids(), role: 'assistant', content: '', status: 'generating', model: chatbot.model },
      ],
      reservation:
        price === 0
          ? undefined
          : {
              id: ids(),
              ledgerId: ids(),
              amount: price,
              expiresAt: new Date(now.getTime() + 60_000).toISOString(),
            },
    };
  }

  const reply = (status: ReplyFields['status'], credits: number | null = 0): ReplyFields => ({
    status,
    content: 'Hi there',
    input_tokens: status === 'failed' ? null : 5,
    output_tokens: status === 'failed' ? null : 2,
    sources: null,
    error_code: status === 'failed' ? 'AI_PROVIDER_ERROR' : null,
    credits,
  });

  const close = (turn: TurnOpening, outcome: 'settle' | 'release', fields: ReplyFields) =>
    closeTurn(database().handle, {
      messageId: turn.messages[1].id as string,
      reply: fields,
      now: now.toISOString(),
      reservation: turn.reservation && { ...turn.reservation, ledgerId: ids(), outcome },
    });

  const balanceOf = async (chatbot: ChatbotRow) => (await findWorkspace(db(), chatbot.workspace_id))?.credits;

  it('opens exactly as many simultaneous turns as the balance covers, storing nothing for the others', async () => {
    const chatbot = await chatbotWithCredits(5);
    const turns = Array.from({ length: 20 }, () => opening(chatbot, 1));

    const results = await Promise.all(turns.map((turn) => openTurn(database().handle, turn)));

    const opened = turns.filter((_, index) => results[index]?.ok);
    expect(opened).toHaveLength(5);
    expect(await balanceOf(chatbot)).toBe(0);
    expect(await sumLedger(db(), chatbot.workspace_id)).toBe(0);
    for (const [index, turn] of turns.entries()) {
      const conversation = await findConversation(db(), chatbot.id, turn.conversationId);
      const messages = await listMessages(db(), turn.conversationId);
      if (results[index]?.ok) {
        expect(conversation).toBeDefined();
        expect(messages.map((message) => [message.role, message.status, message.user_id])).toEqual([
          ['user', 'complete', 'customer-7'],
          ['assistant', 'generating', 'customer-7'],
        ]);
      } else {
        expect(conversation).toBeUndefined();
        expect(messages).toEqual([]);
      }
    }
  });

  it('answers the balance with the reply’s price held', async () => {
    const chatbot = await chatbotWithCredits(10);

    expect(await openTurn(database().handle, opening(chatbot, 3))).toEqual({ ok: true, balance: 7 });
  });

  it('continues a conversation: moves its updated_at on and adds the two messages', async () => {
    const chatbot = await chatbotWithCredits(10);
    const first = opening(chatbot, 1);
    await openTurn(database().handle, first);
    now = new Date(now.getTime() + 5_000);

    const second = opening(chatbot, 1, { id: first.conversationId, isNew: false });
    expect((await openTurn(database().handle, second)).ok).toBe(true);

    const conversation = await findConversation(db(), chatbot.id, first.conversationId);
    expect(conversation?.updated_at).toBe(now.toISOString());
    expect(conversation?.created_at).not.toBe(now.toISOString());
    expect(await listMessages(db(), first.conversationId)).toHaveLength(4);
  });

  it('stores a free turn without touching the balance or the ledger', async () => {
    const chatbot = await chatbotWithCredits(0);
    const turn = opening(chatbot, 0);

    expect(await openTurn(database().handle, turn)).toEqual({ ok: true, balance: undefined });
    expect(await close(turn, 'settle', reply('complete'))).toEqual({ charged: false, stored: true });

    expect(await balanceOf(chatbot)).toBe(0);
    const [, stored] = await listMessages(db(), turn.conversationId);
    expect(stored).toMatchObject({ status: 'complete', content: 'Hi there', credits: 0 });
  });

  it('settles a reply: keeps its credits and stores them on the message', async () => {
    const chatbot = await chatbotWithCredits(10);
    const turn = opening(chatbot, 2);
    await openTurn(database().handle, turn);

    expect(await close(turn, 'settle', reply('complete'))).toEqual({ charged: true, stored: true });

    expect(await balanceOf(chatbot)).toBe(8);
    expect(await sumLedger(db(), chatbot.workspace_id)).toBe(8);
    const [, stored] = await listMessages(db(), turn.conversationId);
    expect(stored).toMatchObject({
      status: 'complete',
      content: 'Hi there',
      input_tokens: 5,
      output_tokens: 2,
      credits: 2,
      error_code: null,
    });
    // A sweep after the settle finds nothing held.
    now = new Date(now.getTime() + 61_000);
    await createCreditService({ db: db(), clock, ids, reservationTtlMs: 60_000 }).releaseExpired();
    expect(await balanceOf(chatbot)).toBe(8);
  });

  it('releases a failed reply: the credits come back once, with one ledger row, however often it closes', async () => {
    const chatbot = await chatbotWithCredits(10);
    const turn = opening(chatbot, 2);
    await openTurn(database().handle, turn);

    const closed = await Promise.all([
      close(turn, 'release', reply('failed', null)),
      close(turn, 'release', reply('failed', null)),
    ]);

    expect(closed.map((outcome) => outcome.charged)).toEqual([false, false]);
    // The first to arrive stores the outcome; the other finds the reply ended already.
    expect(closed.map((outcome) => outcome.stored).sort()).toEqual([false, true]);
    expect(await balanceOf(chatbot)).toBe(10);
    expect(await sumLedger(db(), chatbot.workspace_id)).toBe(10);
    const [, stored] = await listMessages(db(), turn.conversationId);
    expect(stored).toMatchObject({ status: 'failed', credits: null, error_code: 'AI_PROVIDER_ERROR' });
  });

  it('stores a reply as free when the sweep gave its reservation back before it ended', async () => {
    const chatbot = await chatbotWithCredits(10);
    const turn = opening(chatbot, 2);
    await openTurn(database().handle, turn);
    now = new Date(now.getTime() + 61_000);
    await createCreditService({ db: db(), clock, ids, reservationTtlMs: 60_000 }).releaseExpired();

    expect(await close(turn, 'settle', reply('complete'))).toEqual({ charged: false, stored: true });

    expect(await balanceOf(chatbot)).toBe(10);
    expect(await sumLedger(db(), chatbot.workspace_id)).toBe(10);
    const [, stored] = await listMessages(db(), turn.conversationId);
    expect(stored).toMatchObject({ status: 'complete', credits: 0 });
  });
});
